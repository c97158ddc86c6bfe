import type { RawData } from 'ws';

/**
 * The expected events one WebSocket message stands for. A text message that is a JSON object
 * matches by its `type` or `event` field, exactly; any other text message (plain text, a JSON
 * string or list, a Socket.IO frame such as `42["ready"]`) matches every name it contains. Binary
 * frames match nothing: they are not text, and searching bytes for a name would find it by chance.
 * Pure.
 */
export function matchEvents(data: RawData, isBinary: boolean, expected: readonly string[]): string[] {
  if (isBinary) return [];
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  const text = bytes.toString('utf8');
  const fields = typeFields(text);
  if (fields) return expected.filter((name) => fields.includes(name));
  return expected.filter((name) => text.includes(name));
}

/** The `type` and `event` of a JSON object, as text; undefined when the message is no JSON object. */
function typeFields(text: string): string[] | undefined {
  if (!text.trimStart().startsWith('{')) return undefined; // most text is not JSON: skip the parse
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  return [record.type, record.event].flatMap((value) =>
    typeof value === 'string' || typeof value === 'number' ? [String(value)] : [],
  );
}
