/**
 * The value at a dotted path in parsed JSON (`access_token`, `data.session.token`, `items.0.id`),
 * as text; `undefined` when a segment is missing or the value is an object, an array or null.
 * Numeric segments index arrays; only own properties are followed.
 */
export function valueAtPath(json: unknown, path: string): string | undefined {
  let node: unknown = json;
  for (const segment of path.split('.')) {
    if (Array.isArray(node)) {
      if (!/^\d+$/.test(segment)) return undefined;
      node = node[Number(segment)];
    } else if (typeof node === 'object' && node !== null && Object.hasOwn(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  return undefined;
}
