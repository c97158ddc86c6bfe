import pino from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** A pino level; default info. */
  level?: string;
  /** Exact values to remove from every line (see `secretValues` in config/read-env). */
  secrets?: string[];
  /** Where lines go; default stdout. */
  destination?: pino.DestinationStream;
  name?: string;
}

const REDACTED = '[redacted]';

// Cloud Logging reads `severity` from JSON lines written by Cloud Run.
const SEVERITY: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARNING',
  error: 'ERROR',
  fatal: 'CRITICAL',
};

// Keys whose values are secrets wherever they appear. pino's paths match a fixed depth, so each key is
// listed at the top level and two levels down; the line scrubbing below catches anything deeper.
const SECRET_KEYS = [
  'token',
  'botToken',
  'appToken',
  'signingSecret',
  'secret',
  'clientSecret',
  'password',
  'passwd',
  'authorization',
  'cookie',
  'dsn',
  'databaseUrl',
  'connectionString',
  'apiKey',
];
const REDACT_PATHS = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers["set-cookie"]',
  '*.headers["set-cookie"]',
  'database.url',
  '*.database.url',
];

/**
 * A JSON logger that keeps secrets out of its output twice over: well-known keys are redacted from
 * logged objects, and every finished line is scrubbed of the given secret values, anything shaped like
 * a Slack token, and passwords inside URLs or DSNs, including in error messages and stacks.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const scrub = lineScrubber(options.secrets ?? []);
  return pino(
    {
      level: options.level ?? 'info',
      ...(options.name ? { name: options.name } : {}),
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label, severity: SEVERITY[label] ?? 'DEFAULT' }) },
      hooks: { streamWrite: scrub },
    },
    options.destination ?? pino.destination(1),
  );
}

const SHAPES: [RegExp, string][] = [
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  // scheme://user:password@host: keep the user and host, they help debugging.
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*):[^\s/@"]+@/gi, `$1:${REDACTED}@`],
  // password=… in a libpq DSN or a query string.
  [/(\bpassword=)[^\s&;"\\]+/gi, `$1${REDACTED}`],
];

// Values shorter than this would match ordinary words and shred the log; key redaction and the
// shapes above still apply to them.
const MIN_SECRET_LENGTH = 4;

/** Removes secrets from a serialized log line. Exported for tests and for other sinks of text. */
export function lineScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    // A value appears JSON-escaped in the line when it contains quotes, backslashes or control characters.
    .flatMap((secret) => [secret, JSON.stringify(secret).slice(1, -1)])
    .sort((a, b) => b.length - a.length);
  const unique = [...new Set(forms)];
  return (line) => {
    let out = line;
    for (const value of unique) out = out.split(value).join(REDACTED);
    for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
    return out;
  };
}
