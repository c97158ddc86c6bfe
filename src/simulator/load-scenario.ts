import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { packageRoot } from '../package-root';
import { type Scenario, type ScenarioInput, scenarioSchema } from './scenario';

/**
 * The `scenarios/` folder at the repository root. Found by walking up from this file, because the
 * code runs both from `src/simulator` (ts-jest) and from `dist/src/simulator` (the built shell).
 */
export function scenariosDir(from = __dirname): string {
  const candidate = path.join(packageRoot(from), 'scenarios');
  if (!existsSync(candidate)) throw new Error(`No scenarios/ folder found in ${packageRoot(from)}.`);
  return candidate;
}

/** Names of the bundled scenarios (file names without `.yaml`), sorted. */
export function listScenarios(dir = scenariosDir()): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .map((file) => file.slice(0, -'.yaml'.length))
    .sort();
}

/** Validates a scenario given as data; the error lists every problem with its path. */
export function parseScenario(input: ScenarioInput | unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(top)'}: ${issue.message}`,
  );
  throw new Error(`${source} is not a valid scenario:\n${problems.join('\n')}`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Mappings merge key by key; lists and values in `override` replace those in `base`; null removes the key. */
function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) delete merged[key];
    else merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

/** Reads a scenario file's YAML, resolving `extends: <bundled scenario>` before validation. */
function readRaw(file: string, seen: string[] = []): unknown {
  if (seen.includes(file)) throw new Error(`Scenario ${file} extends itself through ${seen.join(' -> ')}.`);
  // Merge keys (`<<: *anchor`) let a scenario's services share one definition.
  const raw: unknown = parse(readFileSync(file, 'utf8'), { merge: true });
  if (!isPlainObject(raw) || typeof raw.extends !== 'string') return raw;
  const { extends: baseName, ...rest } = raw;
  const baseFile = path.join(path.dirname(file), `${baseName}.yaml`);
  if (!existsSync(baseFile)) throw new Error(`${file} extends "${baseName}", which does not exist.`);
  return deepMerge(readRaw(baseFile, [...seen, file]), rest);
}

/**
 * Loads a bundled scenario by name (`staging-outage`) or any YAML file by path. A file may start
 * from another scenario in its folder with `extends: <name>` and give only what differs (`key: null`
 * removes what the base has). An unknown name
 * fails with the list of names that exist, since that is what the user needs to type instead.
 */
export function loadScenario(nameOrPath: string): Scenario {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.ya?ml$/.test(nameOrPath);
  const file = looksLikePath ? path.resolve(nameOrPath) : path.join(scenariosDir(), `${nameOrPath}.yaml`);
  if (!existsSync(file)) {
    if (looksLikePath) throw new Error(`Scenario file ${file} does not exist.`);
    throw new Error(
      `There is no scenario named "${nameOrPath}". Available scenarios: ${listScenarios().join(', ')}.`,
    );
  }
  return parseScenario(readRaw(file), file);
}
