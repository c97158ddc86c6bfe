import type { Config } from './schema';
import { urlPasswords } from './secret-values';
import { parseTemplate } from './template';

/**
 * The values of the environment variables the config names for secrets: each environment's
 * database URL (and its password on its own), each contact's PagerDuty routing key, and every `${env:NAME}` a verification step reads
 * (an API token, a test user's password). The logger removes them from every line by value, as
 * it does Warroom's own tokens; the config file itself never holds them.
 */
export function configSecretValues(config: Config, env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>();
  for (const contact of config.contacts) {
    if (contact.pagerduty) names.add(contact.pagerduty.routingKeyEnv);
  }
  for (const environment of Object.values(config.environments)) {
    if (environment.database?.urlEnv) names.add(environment.database.urlEnv);
    for (const text of strings(environment.verify)) {
      const parsed = parseTemplate(text);
      if (parsed.ok) for (const part of parsed.parts) if (part.kind === 'env') names.add(part.name);
    }
  }
  const values = [...names].flatMap((name) => {
    const value = env[name]?.trim();
    return value ? [value, ...urlPasswords(value)] : [];
  });
  return [...new Set(values)];
}

/** Every string inside a value of the config (a step's URL, headers and body). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}
