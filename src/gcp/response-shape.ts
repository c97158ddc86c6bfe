import { GcpError } from './cloud-gateway';

/** googleapis hands back the body as text when it is not JSON; that is a malformed answer. */
export function expectObject<T extends object>(data: T | string | null | undefined, operation: string): T {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return data;
  throw new GcpError(`${operation}: the response was not the JSON object the API defines`, 'malformed');
}

/** A repeated field: absent means empty; anything but a list is a malformed answer. */
export function expectList<T>(value: unknown, operation: string): T[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value as T[];
  throw new GcpError(`${operation}: the response carried a list field that is not a list`, 'malformed');
}
