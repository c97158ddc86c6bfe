/**
 * The `${…}` placeholders of verification steps: `${env:NAME}` reads Warroom's environment (where
 * secrets live), `${name}` a value captured by an earlier step. Shared by config validation and
 * the steps runner so both read a template the same way.
 */

/** A piece of a template: literal text, an environment variable, or a captured value. */
export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'env'; name: string }
  | { kind: 'captured'; name: string };

export type ParsedTemplate = { ok: true; parts: TemplatePart[] } | { ok: false; bad: string };

/** Names of environment variables and captured values: letters, digits and underscores. */
export const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * Splits `template` into its parts. Fails with the offending placeholder (`${ token }`, `${}`,
 * an unclosed `${`) so the config can say which one to fix; placeholder names are never secrets.
 */
export function parseTemplate(template: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const at = match.index ?? 0;
    if (at > last) parts.push({ kind: 'text', text: template.slice(last, at) });
    const inner = match[1] ?? '';
    const env = /^env:(.*)$/.exec(inner);
    if (env && VARIABLE_NAME.test(env[1] ?? '')) parts.push({ kind: 'env', name: env[1] as string });
    else if (!env && VARIABLE_NAME.test(inner)) parts.push({ kind: 'captured', name: inner });
    else return { ok: false, bad: match[0].slice(0, 40) };
    last = at + match[0].length;
  }
  const rest = template.slice(last);
  if (rest.includes('${')) return { ok: false, bad: rest.slice(rest.indexOf('${')).slice(0, 40) };
  if (rest.length > 0) parts.push({ kind: 'text', text: rest });
  return { ok: true, parts };
}

/** True when `template` holds at least one well-formed placeholder. */
export function hasPlaceholder(template: string): boolean {
  const parsed = parseTemplate(template);
  return parsed.ok && parsed.parts.some((part) => part.kind !== 'text');
}

/** The captured-value names a template reads, in order, without repeats (empty if malformed). */
export function capturedNames(template: string): string[] {
  const parsed = parseTemplate(template);
  if (!parsed.ok) return [];
  const names = parsed.parts.flatMap((part) => (part.kind === 'captured' ? [part.name] : []));
  return [...new Set(names)];
}
