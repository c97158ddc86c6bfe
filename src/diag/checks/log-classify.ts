import type { LogEntry } from '../../gcp/cloud-gateway';
import { LOG_SEVERITY } from '../../gcp/log-severity';
import { scrubCredentials } from '../../log/scrub-credentials';
import { toNumber } from './google-values';

/**
 * Messages that say "could not reach something over the network", as PostgreSQL drivers, Node and
 * Cloud SQL connectors word them. They are counted apart from application errors because the
 * verdict needs both: a flood of these points at the route, not the code.
 */
export const CONNECTIVITY_SIGNATURES: readonly { label: string; pattern: RegExp }[] = [
  { label: 'Socket connection failed', pattern: /socket connection failed/i },
  { label: 'ETIMEDOUT', pattern: /\bETIMEDOUT\b/ },
  { label: 'ECONNREFUSED', pattern: /\bECONNREFUSED\b/ },
  { label: 'too many clients', pattern: /too many clients/i },
  { label: 'Connection timed out', pattern: /connection timed out/i },
  { label: 'could not connect to server', pattern: /could not connect to server/i },
  { label: 'connection refused', pattern: /connection refused/i },
  { label: 'ECONNRESET', pattern: /\bECONNRESET\b/ },
  { label: 'EHOSTUNREACH', pattern: /\bEHOSTUNREACH\b/ },
  { label: 'timeout expired', pattern: /timeout expired/i },
  // Cloud Run's Cloud SQL connection (the Auth Proxy it runs) when it cannot reach the instance:
  // refusals for lack of permission say so and are told apart before these are tried.
  { label: 'Cloud SQL connection failed', pattern: /Cloud SQL connection failed/i },
  { label: 'no IP of the type asked for', pattern: /does not have IP of type/i },
  // The application's side of it: the proxy's Unix socket under /cloudsql never appeared.
  {
    label: 'no Cloud SQL socket',
    pattern: /\/cloudsql\/[^\s"]+[^\n]*(?:No such file or directory|Connection refused)/i,
  },
];

/**
 * Messages that say Cloud SQL refused the connection for lack of IAM permission, as the Auth Proxy
 * (v1 and v2), Cloud Run's Cloud SQL connection and the connector libraries word them. They are
 * counted apart from connectivity errors: the path works, the runtime account may not use it.
 */
export const SQL_NOT_AUTHORIZED: readonly RegExp[] = [
  // Cloud SQL Admin API's reason, as the Auth Proxy v2 and the Go connector quote it (boss::NOT_AUTHORIZED).
  /\bNOT_AUTHORIZED\b/,
  // The same reason in the older googleapi form, with its message (Auth Proxy v1, Cloud Run).
  /\bnotAuthorized\b/,
  /not authorized to make this request/i,
  /missing permission cloudsql\.instances\.(?:connect|get)\b/i,
  // The Python connector's rewording of a 403.
  /'Cloud SQL Client' role has been granted/i,
  // The Java connector's.
  /Cloud SQL Admin API failed for the project[^\n]*\b403\b/i,
];

/** Whether the entry says a Cloud SQL connection was not authorized. */
export const saysSqlNotAuthorized = (text: string): boolean =>
  SQL_NOT_AUTHORIZED.some((pattern) => pattern.test(text));

/** Start-up failures as Cloud Run's system log words them. */
const STARTUP_FAILURE = /STARTUP\b.*\bprobe failed|Container called exit\(\d+\)/i;
const SYSTEM_LOG = /run\.googleapis\.com%2Fvarlog%2Fsystem$/;
/** Cloud Run's request log: a 5xx there is a symptom (users got errors), not the application's own output. */
const REQUEST_LOG = /run\.googleapis\.com%2Frequests$/;
/** Cloud Run's words when it turns a request away because every instance it may start is busy. */
const NO_AVAILABLE_INSTANCE = /no available instance/i;
/** The statuses Cloud Run answers such a request with (429, or 500 while scaling). */
export const REJECTED_STATUSES: readonly number[] = [429, 500];

// The REST client gives severity names (the GAPIC client may give numbers).
const SEVERITY = LOG_SEVERITY;

export function severityOf(entry: LogEntry): number {
  const raw: unknown = entry.severity;
  if (typeof raw === 'number') return raw;
  return typeof raw === 'string' ? (SEVERITY[raw] ?? 0) : 0;
}

/** The entry's message: text payload, or the usual message fields of a JSON payload. */
export function messageOf(entry: LogEntry): string {
  if (entry.textPayload) return entry.textPayload;
  const json = entry.jsonPayload as Record<string, unknown> | undefined;
  for (const key of ['message', 'msg', 'error', 'exception']) {
    if (typeof json?.[key] === 'string' && json[key]) return json[key] as string;
  }
  const status = (entry.protoPayload as { status?: { message?: unknown } } | undefined)?.status?.message;
  if (typeof status === 'string') return status;
  return json ? JSON.stringify(json) : '';
}

/** Everything searchable in an entry: a traceback field can hold the connectivity error. */
function fullText(entry: LogEntry): string {
  return [
    entry.textPayload,
    entry.jsonPayload ? JSON.stringify(entry.jsonPayload) : '',
    messageOf(entry),
  ].join('\n');
}

export type EntryKind =
  | 'startup'
  | 'connectivity'
  | 'sql-not-authorized'
  | 'application'
  | 'request'
  | 'rejected'
  | 'ignore';

/** A request-log entry for a request Cloud Run rejected for lack of an instance (429 or 500). */
function rejectedForCapacity(entry: LogEntry): boolean {
  const status = toNumber(entry.httpRequest?.status);
  if (status !== undefined && !REJECTED_STATUSES.includes(status)) return false;
  const text = [fullText(entry), entry.httpRequest ? JSON.stringify(entry.httpRequest) : ''].join('\n');
  return NO_AVAILABLE_INSTANCE.test(text);
}

/** Sorts one entry, with the connectivity signature it matched. */
export function classifyEntry(entry: LogEntry): { kind: EntryKind; signature?: string } {
  const system = SYSTEM_LOG.test(entry.logName ?? '');
  const text = fullText(entry);
  if (system && STARTUP_FAILURE.test(text)) return { kind: 'startup' };
  const request = REQUEST_LOG.test(entry.logName ?? '');
  // Cloud Run logs a 429 at WARNING: a rejection counts whatever its severity.
  if (request && rejectedForCapacity(entry)) return { kind: 'rejected' };
  // Before the connectivity signatures: a refusal may quote "couldn't connect" or a socket error.
  // The system log is read from WARNING: a refusal there counts whatever its severity.
  const serious = severityOf(entry) >= SEVERITY.ERROR || system;
  if (!request && serious && saysSqlNotAuthorized(text)) return { kind: 'sql-not-authorized' };
  if (severityOf(entry) < SEVERITY.ERROR) return { kind: 'ignore' };
  if (request) return { kind: 'request' };
  const signature = CONNECTIVITY_SIGNATURES.find(({ pattern }) => pattern.test(text));
  if (signature) return { kind: 'connectivity', signature: signature.label };
  // Platform errors in the system log (not the application's output) are not application errors.
  return { kind: system ? 'ignore' : 'application' };
}

/**
 * The first line of a message with credentials, ids, addresses and numbers stripped, so repeats
 * group together and what is shown of a log line carries no DSN password or token. Credentials go
 * first: once digits are gone a token no longer has its shape.
 */
export function normaliseMessage(message: string): string {
  const firstLine =
    scrubCredentials(message)
      .split('\n')
      .find((line) => line.trim() !== '') ?? '';
  const text = firstLine
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
    .replace(/\b[0-9a-f]{12,}\b/gi, '<id>')
    .replace(/\d+/g, '#')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

// Characters kept before the matched words: enough for "googleapi: Error 403:" and the like.
const REFUSAL_LEAD = 40;

/**
 * The part of a refusal worth showing: the line that says it, from a little before the words that
 * matched, normalised. Proxies put the reason after a long preamble (a URL, the connection name)
 * that would otherwise fill the whole excerpt. Scrubbed before it is cut, like normaliseMessage.
 */
export function refusalExcerpt(message: string): string {
  const scrubbed = scrubCredentials(message);
  const line = scrubbed.split('\n').find(saysSqlNotAuthorized) ?? scrubbed;
  const found = SQL_NOT_AUTHORIZED.map((pattern) => line.search(pattern)).filter((at) => at >= 0);
  const at = found.length > 0 ? Math.min(...found) : 0;
  const start = at > REFUSAL_LEAD * 2 ? at - REFUSAL_LEAD : 0;
  return `${start > 0 ? '…' : ''}${normaliseMessage(line.slice(start))}`;
}
