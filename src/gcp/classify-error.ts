import { scrubCredentials } from '../log/scrub-credentials';
import { GcpError, type GcpErrorKind } from './cloud-gateway';

/** What the gateway was doing, so a classified error can say so and name the permission needed. */
export interface CallContext {
  /** e.g. `getConnector projects/acme-staging/locations/us-central1/connectors/staging-connector`. */
  operation: string;
  /** The IAM permission the call needs; used when Google's answer does not name one. */
  permission: string;
}

interface GoogleBody {
  code?: number;
  message?: string;
  status?: string;
  details?: { '@type'?: string; reason?: string; metadata?: Record<string, string> }[];
  errors?: { reason?: string }[];
}

type Loose = Record<string, unknown>;
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

const parseJson = (text: unknown): unknown => {
  if (typeof text !== 'string' || !text.trimStart().startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

/**
 * Google's `{error: {...}}` body, wherever this client library left it: gaxios keeps it in
 * `response.data` (googleapis), google-gax 5 stringifies it into `message` and `cause`.
 */
function googleBody(error: Loose): GoogleBody | undefined {
  const response = isObject(error.response) ? error.response : undefined;
  for (const candidate of [
    response?.data,
    parseJson(response?.data),
    error.cause,
    parseJson(error.message),
  ]) {
    if (isObject(candidate) && isObject(candidate.error)) return candidate.error as GoogleBody;
  }
  return undefined;
}

/** google-gax's gRPC status codes, which its GoogleError carries in `code`. */
const GRPC_KINDS: Record<number, GcpErrorKind> = {
  1: 'timeout', // CANCELLED: only our own abort cancels a call
  3: 'invalid-argument',
  4: 'timeout', // DEADLINE_EXCEEDED
  5: 'not-found',
  7: 'permission-denied',
  8: 'rate-limited', // RESOURCE_EXHAUSTED
  10: 'conflict', // ABORTED: e.g. an etag mismatch
  13: 'unavailable', // INTERNAL
  14: 'unavailable',
  16: 'unauthenticated',
};

function kindOfStatus(status: number, body?: GoogleBody): GcpErrorKind {
  const reasons = [
    ...(body?.details ?? []).map((d) => d.reason),
    ...(body?.errors ?? []).map((e) => e.reason),
  ];
  // Some APIs answer quota exhaustion with 403; the reason tells it apart from a missing role.
  if (body?.status === 'RESOURCE_EXHAUSTED' || reasons.some((r) => /rate.?limit|quota/i.test(r ?? ''))) {
    return 'rate-limited';
  }
  if (status === 400) return 'invalid-argument';
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'permission-denied';
  if (status === 404) return 'not-found';
  if (status === 408) return 'timeout';
  // 409 ABORTED (etag mismatch, concurrent change) and 412 (precondition failed): not retried, the
  // caller re-reads the resource and decides again.
  if (status === 409 || status === 412) return 'conflict';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'other';
}

const NETWORK_CODES =
  /^(ECONNRESET|ECONNREFUSED|ECONNABORTED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|UND_ERR_\w+)$/;
/** How google-auth-library words a failure to find or use Application Default Credentials. */
const CREDENTIALS =
  /default credentials|credential file|GOOGLE_APPLICATION_CREDENTIALS|does not exist, or it is not a file|invalid_grant|unauthorized_client|access token|metadata server/i;
const CREDENTIALS_FIX =
  'To resolve, attach a service account to the service Warroom runs on, or set GOOGLE_APPLICATION_CREDENTIALS to a key file that exists, or run `gcloud auth application-default login` locally.';

const causes = (error: Loose): Loose[] => {
  const chain: Loose[] = [];
  for (let node: unknown = error; isObject(node) && chain.length < 5; node = node.cause) chain.push(node);
  return chain;
};

/** The permission Google named as missing: ErrorInfo metadata first, then the message text. */
function permissionIn(error: Loose, body: GoogleBody | undefined): string | undefined {
  const fromDetails = body?.details?.find((d) => d.metadata?.permission)?.metadata?.permission;
  const gaxMetadata = isObject(error.errorInfoMetadata) ? error.errorInfoMetadata.permission : undefined;
  const text = body?.message ?? (typeof error.message === 'string' ? error.message : '');
  const fromMessage = /Permission '?([a-z]+\.[A-Za-z]+\.[A-Za-z]+)'? denied/.exec(text)?.[1];
  return fromDetails ?? (typeof gaxMetadata === 'string' ? gaxMetadata : undefined) ?? fromMessage;
}

/**
 * One line of Google's message: never a stack, a JSON dump or a whole HTML page, nor a credential
 * (scrubbed before the line is cut, so a cut cannot leave half of one its shape no longer finds).
 */
function shortMessage(error: Loose, body: GoogleBody | undefined): string {
  const raw = scrubCredentials(
    body?.message ?? (typeof error.message === 'string' ? error.message : String(error)),
  );
  const line = (raw.split('\n')[0] ?? '').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Turns whatever a client library threw into a GcpError, so nothing above the gateway sees a
 * GaxiosError, a GoogleError or a stack. Covers google-gax 5 and 6 (REST) and googleapis/gaxios.
 */
export function classifyError(error: unknown, context: CallContext): GcpError {
  if (error instanceof GcpError) return error;
  const e: Loose = isObject(error) ? error : { message: String(error) };
  const body = googleBody(e);
  const chain = causes(e);
  const message = shortMessage(e, body);
  const make = (kind: GcpErrorKind, status?: number, text = message): GcpError => {
    const permission =
      kind === 'permission-denied' ? (permissionIn(e, body) ?? context.permission) : undefined;
    // Google's message may echo what was sent (an env value in an invalid-argument answer).
    return new GcpError(scrubCredentials(`${context.operation}: ${text}`), kind, status, permission);
  };

  const status = [
    e.httpStatusCode,
    e.status,
    isObject(e.response) ? e.response.status : undefined,
    body?.code,
  ].find((value): value is number => typeof value === 'number' && value >= 100 && value < 600);
  if (status !== undefined) return make(kindOfStatus(status, body), status);

  // A body that is not JSON or is cut short: decoding fails with a SyntaxError somewhere in the chain.
  if (chain.some((node) => node instanceof SyntaxError || node.name === 'SyntaxError')) {
    return make('malformed', undefined, `the response was not valid JSON (${message})`);
  }
  if (
    chain.some(
      (node) => node.name === 'AbortError' || node.name === 'TimeoutError' || node.type === 'aborted',
    )
  ) {
    return make('timeout', undefined, 'no answer before the request timed out');
  }
  const network = chain.find((node) => typeof node.code === 'string' && NETWORK_CODES.test(node.code));
  if (network) {
    // fetch only says "fetch failed"; the socket error underneath says what happened.
    return make('unavailable', undefined, `the connection failed (${network.code}: ${network.message})`);
  }
  if (
    chain.some(
      (node) =>
        node.name === 'CredentialsUnavailable' ||
        (typeof node.message === 'string' && CREDENTIALS.test(node.message)),
    )
  ) {
    return make(
      'unauthenticated',
      undefined,
      `no usable Google credentials (${message}). ${CREDENTIALS_FIX}`,
    );
  }
  if (typeof e.code === 'number' && GRPC_KINDS[e.code]) return make(GRPC_KINDS[e.code] as GcpErrorKind);
  if (/socket hang up|fetch failed|network/i.test(message)) return make('unavailable');
  return make('other');
}

/** Failures worth another attempt: the server or the network failed, not the request. */
export const isRetryable = (error: GcpError): boolean => error.kind === 'unavailable';
