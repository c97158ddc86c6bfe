import { readFile } from 'node:fs/promises';
import {
  type Document,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLError,
} from 'yaml';
import type { z } from 'zod';
import { type Config, configSchema, FIX_MARKER } from './schema';

/** One thing wrong with the configuration, worded so an operator can fix it. */
export interface ConfigProblem {
  /** Dotted path of the bad key (`environments.staging.region`), `(file)` for the file as a whole, or a variable name. */
  path: string;
  /** What is wrong. Never contains a secret. */
  message: string;
  /** How to fix it, starting "To resolve, ". */
  fix: string;
  /** 1-based line in the config file, when known. */
  line?: number;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: ConfigProblem[] };

const FILE = '(file)';
type Path = readonly PropertyKey[];

/**
 * Parses and validates the YAML text of a config file. Lists every problem at once: YAML syntax
 * errors first, then every schema problem in the order of the file. `source` names the file in messages.
 */
export function parseConfig(text: string, source: string): ConfigResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems = doc.errors.map((error) => syntaxProblem(error, lineCounter));
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // yaml refuses documents that expand too far through aliases (a "billion laughs" file).
    problems.push({
      path: FILE,
      message: `The file cannot be read as data: ${(error as Error).message}.`,
      fix: `${FIX_MARKER}write the values out instead of repeating them through YAML aliases (*name).`,
    });
    return { ok: false, problems };
  }
  if (data === null || data === undefined) {
    if (problems.length > 0) return { ok: false, problems };
    const fix = `${FIX_MARKER}copy warroom.example.yml to it and describe at least one environment.`;
    return { ok: false, problems: [{ path: FILE, message: `${source} is empty.`, fix }] };
  }

  const leaks = findCredentials(data);
  const leakPaths = new Set(leaks.map(formatPath));
  const parsed = configSchema.safeParse(data);
  // An issue about a leaked secret would only repeat it (or the value) in other words.
  const issues = parsed.success ? [] : parsed.error.issues.flatMap(issueProblems);
  const schemaProblems = [
    ...leaks.map((at) => credentialProblem(at, data)),
    ...issues.filter((i) => !leakPaths.has(formatPath(i.at))),
  ]
    .map(({ at, message, fix }) => ({
      path: formatPath(at),
      message,
      fix,
      line: lineOf(doc, lineCounter, at),
    }))
    .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  problems.push(...schemaProblems);

  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: parsed.data };
}

/** Reads and validates the config file at `path`. A missing file is reported as a problem, not thrown. */
export async function loadConfig(path: string): Promise<ConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem: ConfigProblem =
      code === 'ENOENT'
        ? {
            path: FILE,
            message: `No config file at ${path}.`,
            fix: `${FIX_MARKER}copy warroom.example.yml to ${path} and adapt it, or set WARROOM_CONFIG to the path of your config file.`,
          }
        : {
            path: FILE,
            message: `Cannot read ${path} (${code ?? (error as Error).message}).`,
            fix: `${FIX_MARKER}make sure ${path} is a file readable by the user running Warroom, or set WARROOM_CONFIG.`,
          };
    return { ok: false, problems: [problem] };
  }
  return parseConfig(text, path);
}

/** A block for stderr: a heading naming the source, then one problem per line. */
export function formatProblems(problems: ConfigProblem[], source: string): string {
  const heading = `${source}: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  const lines = problems.map((problem) => {
    const where =
      problem.line && problem.path !== FILE ? `${problem.path} (line ${problem.line})` : problem.path;
    return `  ${where}: ${problem.message} ${problem.fix}`;
  });
  return [heading, ...lines].join('\n');
}

const SYNTAX_FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'merge the two entries with this key into one, or rename one of them.',
  TAB_AS_INDENT: 'indent with spaces, not tabs.',
  MISSING_CHAR: 'add the missing closing quote or bracket.',
  MULTIPLE_DOCS: 'keep a single YAML document: remove the --- line and merge the sections.',
};

function syntaxProblem(error: YAMLError, lineCounter: LineCounter): ConfigProblem {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const what = error.code === 'MULTIPLE_DOCS' ? 'The file holds more than one YAML document' : error.message;
  const fix =
    SYNTAX_FIXES[error.code] ??
    'check the indentation and punctuation there; quote values that contain ": " or start with a special character.';
  return {
    path: FILE,
    message: `YAML syntax error at line ${line}, column ${col}: ${what}.`,
    fix: `${FIX_MARKER}${fix}`,
    line,
  };
}

interface Found {
  at: Path;
  message: string;
  fix: string;
}

function split(message: string): { message: string; fix: string } {
  const at = message.indexOf(FIX_MARKER);
  if (at === -1) return { message, fix: `${FIX_MARKER}check this key against docs/configuration.md.` };
  return { message: message.slice(0, at).trim(), fix: message.slice(at) };
}

function issueProblems(issue: z.core.$ZodIssue): Found[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ at: [...issue.path, key], ...split(issue.message) }));
  }
  // A bad record key (an environment or phase name) carries the key's own message inside it.
  const message = issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
  return [{ at: issue.path, ...split(message) }];
}

// A URL with user info, a database URL, or a libpq "key=value" DSN with a password.
const CREDENTIAL_SHAPES = [
  /[a-z][a-z0-9+.-]*:\/\/[^/\s@]*@/i,
  /^\s*(?:postgres(?:ql)?|mysql|mariadb|sqlserver|mongodb(?:\+srv)?|rediss?|amqps?|jdbc:[a-z]+):/i,
  // A placeholder (`password=${env:DB_PASSWORD}`) is how a secret is referenced, not a secret.
  /\bpassword\s*=(?!\s*\$\{)/i,
];

/** Paths of every key or value that looks like a DSN or a URL with credentials. */
function findCredentials(value: unknown, at: Path = []): Path[] {
  if (typeof value === 'string') return CREDENTIAL_SHAPES.some((shape) => shape.test(value)) ? [at] : [];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = [...at, Array.isArray(value) ? Number(key) : key];
    return findCredentials(key, path).length > 0 ? [path] : findCredentials(child, path);
  });
}

function credentialProblem(at: Path, data: unknown): Found {
  const env = at[0] === 'environments' && typeof at[1] === 'string' ? at[1] : firstEnvironment(data);
  return {
    at,
    message:
      'This looks like a connection string (DSN) or a URL with credentials, and secrets do not belong in the config file.',
    fix: `${FIX_MARKER}remove it. Put a database DSN in an environment variable and write that variable's name in environments.${env}.database.urlEnv (e.g. urlEnv: STAGING_DATABASE_URL).`,
  };
}

function firstEnvironment(data: unknown): string {
  const environments = (data as { environments?: unknown }).environments;
  const [first] = typeof environments === 'object' && environments !== null ? Object.keys(environments) : [];
  return first ?? '<environment>';
}

function formatPath(path: Path): string {
  if (path.length === 0) return FILE;
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      const text = String(segment).replace(/\/\/[^/@\s]*@/g, '//***@');
      return index === 0 ? text : `.${text}`;
    })
    .join('');
}

/** The line of the deepest part of `path` present in the file: the key's line for a mapping entry. */
function lineOf(doc: Document, lineCounter: LineCounter, path: Path): number | undefined {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const segment of path) {
    let start: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      start = isNode(pair.key) ? pair.key.range?.[0] : undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      start = isNode(node) ? node.range?.[0] : undefined;
    } else {
      break;
    }
    offset = start ?? offset;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}
