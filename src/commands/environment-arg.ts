import type { Config, EnvironmentConfig } from '../config/schema';

const shown = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The environment named by `arg`, or an error listing the configured ones. */
export function environmentArg(
  arg: string | undefined,
  config: Config,
): { ok: true; environment: EnvironmentConfig } | { ok: false; error: string } {
  const known = Object.keys(config.environments)
    .map((n) => `\`${n}\``)
    .join(', ');
  if (!arg) return { ok: false, error: `Which environment? Configured: ${known}.` };
  const name = arg.toLowerCase();
  const environment = config.environments[name];
  // The router escapes every problem it replies with.
  if (!environment)
    return { ok: false, error: `There is no environment "${shown(name)}". Configured: ${known}.` };
  return { ok: true, environment };
}

/** The service named by `arg`, which must be one of the environment's configured services. */
export function serviceArg(
  arg: string | undefined,
  environment: EnvironmentConfig,
): { ok: true; service: string } | { ok: false; error: string } {
  const known = environment.services.map((s) => `\`${s}\``).join(', ');
  if (!arg) return { ok: false, error: `Which service? ${environment.name} has ${known}.` };
  const service = arg.toLowerCase();
  if (!environment.services.includes(service)) {
    return {
      ok: false,
      error: `"${shown(arg)}" is not a configured service of ${environment.name}; Warroom only acts on ${known}.`,
    };
  }
  return { ok: true, service };
}

export interface Flags {
  positional: string[];
  values: Record<string, string>;
  switches: Set<string>;
}

/**
 * Splits `--name value…` options from positional words. `valued` flags take the words up to the
 * next `--flag`; `switches` take none. An unknown `--flag` is an error naming the known ones.
 */
export function parseFlags(
  argv: string[],
  spec: { valued?: string[]; switches?: string[] },
): { ok: true; flags: Flags } | { ok: false; error: string } {
  const valued = spec.valued ?? [];
  const switchNames = spec.switches ?? [];
  const flags: Flags = { positional: [], values: {}, switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (!word.startsWith('--') || word === '--') {
      flags.positional.push(word);
      continue;
    }
    const name = word.slice(2).toLowerCase();
    if (switchNames.includes(name)) {
      flags.switches.add(name);
    } else if (valued.includes(name)) {
      const words: string[] = [];
      while (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) words.push(argv[++i] ?? '');
      if (words.length === 0) return { ok: false, error: `--${name} needs a value.` };
      flags.values[name] = words.join(' ');
    } else {
      const known = [...valued, ...switchNames].map((f) => `--${f}`).join(', ');
      return { ok: false, error: `Unknown option "${shown(word)}". Options: ${known || 'none'}.` };
    }
  }
  return { ok: true, flags };
}
