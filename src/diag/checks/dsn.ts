import { scrubCredentials } from '../../log/scrub-credentials';

/** What may be shown about a DSN (host and port) and what must never be (user, password, the DSN). */
export interface DsnParts {
  target: string;
  secrets: string[];
}

/**
 * Splits a PostgreSQL DSN (URL or key=value form) into a displayable target and the secrets to
 * redact from any message. The user is treated as a secret too: it is half of a credential.
 */
export function dsnParts(dsn: string): DsnParts {
  const secrets = [dsn];
  try {
    const url = new URL(dsn);
    for (const raw of [
      url.username,
      url.password,
      url.searchParams.get('password'),
      url.searchParams.get('user'),
    ]) {
      if (raw) secrets.push(raw, safeDecode(raw));
    }
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    return { target: `${host}:${url.port || '5432'}`, secrets: unique(secrets) };
  } catch {
    const field = (key: string) => new RegExp(`(?:^|\\s)${key}\\s*=\\s*'?([^'\\s]+)`).exec(dsn)?.[1];
    for (const key of ['password', 'user']) {
      const value = field(key);
      if (value) secrets.push(value);
    }
    return { target: `${field('host') ?? 'localhost'}:${field('port') ?? '5432'}`, secrets: unique(secrets) };
  }
}

/**
 * Replaces every secret (longest first, so a DSN goes before the password inside it) with ***, and
 * then whatever else is shaped like a credential (scrubCredentials).
 */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/\/\/[^/@\s]*@/g, '//***@');
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return scrubCredentials(out);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const unique = (values: string[]) => [...new Set(values.filter((v) => v.length > 0))];
