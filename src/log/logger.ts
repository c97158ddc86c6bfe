import pino from 'pino';
import { REDACTED, scrubCredentials } from './scrub-credentials';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** A pino level; default info. */
  level?: string;
  /** Exact values to remove from every line (see `secretValues` in config/secret-values.ts). */
  secrets?: string[];
  /** Where lines go; default stdout. */
  destination?: pino.DestinationStream;
  name?: string;
}

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
  'api_key',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'client_secret',
  'privateKey',
  'private_key',
  'signature',
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
 * logged objects, and every finished line, whatever its level and source (Bolt and the Slack Web API
 * client log through it too), is scrubbed of the given secret values and of anything shaped like a
 * credential (see scrubCredentials), including in error messages, stacks and JSON logged as text.
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

// Values shorter than this would match ordinary words and shred the log; key redaction and the
// credential shapes still apply to them.
const MIN_SECRET_LENGTH = 4;

const escaped = (text: string) => JSON.stringify(text).slice(1, -1);

/** Removes secrets from a serialized log line. Exported for tests and for other sinks of text. */
export function lineScrubber(secrets: readonly string[]): (line: string) => string {
  const forms = secrets
    .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
    // A value appears JSON-escaped in the line when it contains quotes, backslashes or control
    // characters, and escaped twice when it was inside JSON logged as a string (Bolt's lines).
    .flatMap((secret) => [secret, escaped(secret), escaped(escaped(secret))])
    .sort((a, b) => b.length - a.length);
  const unique = [...new Set(forms)];
  return (line) => {
    let out = line;
    for (const value of unique) out = out.split(value).join(REDACTED);
    return scrubCredentials(out);
  };
}
