import { hasPlaceholder, parseTemplate } from '../config/template';
import { displayUrl } from '../diag/checks/health';

/** Where placeholder values come from: the process environment and earlier steps' captures. */
export interface Variables {
  env: NodeJS.ProcessEnv;
  captured: ReadonlyMap<string, string>;
}

/** A filled-in template and the values that went into it (all secrets), or why it could not be filled. */
export type Substituted =
  | { ok: true; text: string; secrets: string[] }
  | { ok: false; reason: string; missingCapture?: string };

/**
 * Fills `${env:NAME}` from the environment and `${name}` from captured values. An empty variable
 * counts as unset, as everywhere else in Warroom. The reason names the variable, never a value.
 */
export function substitute(template: string, variables: Variables): Substituted {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return { ok: false, reason: `${parsed.bad} is not a placeholder` };
  let text = '';
  const secrets: string[] = [];
  for (const part of parsed.parts) {
    if (part.kind === 'text') {
      text += part.text;
      continue;
    }
    const value = part.kind === 'env' ? variables.env[part.name] : variables.captured.get(part.name);
    if (!value) {
      return part.kind === 'env'
        ? { ok: false, reason: `environment variable ${part.name} is not set` }
        : {
            ok: false,
            reason: `\${${part.name}} was not captured by an earlier step`,
            missingCapture: part.name,
          };
    }
    text += value;
    secrets.push(value);
  }
  return { ok: true, text, secrets };
}

/**
 * The URL of a step for results: origin and path of the template as written, so neither a query
 * string nor a substituted value (a token in the path) is ever shown; placeholders stay as names.
 */
export function displayStepUrl(template: string): string {
  const withoutQuery = template.split(/[?#]/)[0] ?? '';
  const withoutUser = withoutQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
  return hasPlaceholder(withoutUser) ? withoutUser : displayUrl(withoutUser);
}
