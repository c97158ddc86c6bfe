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
