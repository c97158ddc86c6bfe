/**
 * Credential shapes, found by their form rather than their value: every log line goes through this,
 * and so does text that comes from outside (Google's error messages, log lines read from Cloud
 * Logging, an HTTP step's failure) before Warroom shows or stores it. The logger also removes the
 * exact secrets it was given; this catches the ones it was not.
 */

export const REDACTED = '[redacted]';

/**
 * Parameter names and JSON keys whose values are credentials: `token`, `access_token`,
 * `client_secret`, `x-api-key`, `pageToken`… A name must end in one of these words, so `tokens`,
 * `max_tokens` and `token_type` are left alone. (The look-behind keeps the scan linear.)
 */
const KEY = `(?<![A-Za-z0-9_-])(?:[A-Za-z0-9_-]*(?:token|secret|password|passwd|signature|api[_-]?key|apikey|private[_-]?key)|sig|pwd)`;

/** A value that looks generated (has a digit, a symbol or a lower-to-upper case change), 8+ chars. */
const TOKENISH = `(?=[A-Za-z0-9._~+/=-]{8,})(?=[A-Za-z]*(?:[0-9._~+/=-]|[a-z][A-Z]))[A-Za-z0-9._~+/-]+=*`;

// Case spelled out rather than with the i flag, which would make TOKENISH's case change match any word.
const SCHEME = '[Bb]earer|BEARER|[Bb]asic|BASIC|[Dd]igest|[Tt]oken|[Bb]ot';

type Rule = [RegExp, string | ((match: string, ...groups: string[]) => string)];

const RULES: Rule[] = [
  // PEM private keys, with or without their END line (a message cut short), newlines raw or escaped.
  [
    /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----(?:[\s\S]*?-----END \1PRIVATE KEY-----|(?:[A-Za-z0-9+/=\s]|\\[nr])*)/g,
    REDACTED,
  ],
  // "key":"value" in a JSON document logged or quoted as a string, however deeply escaped: the
  // quotes around the value carry as many backslashes as those around the key.
  [
    new RegExp(
      String.raw`((?<!\\)(\\*)"(?:${KEY}|(?:proxy-)?authorization|(?:set-)?cookie)\2"\s*:\s*\2")(?:[^"\\]|\\[^"\\])+`,
      'gi',
    ),
    `$1${REDACTED}`,
  ],
  [new RegExp(String.raw`('(?:${KEY}|authorization|cookie)'\s*:\s*')[^'\\]+`, 'gi'), `$1${REDACTED}`],
  // Headers written out: keep the scheme, which helps debugging.
  [
    new RegExp(
      String.raw`(\b(?:[Pp]roxy-)?(?:[Aa]uthorization|AUTHORIZATION)\s*[:=]\s*)(?:(${SCHEME})\s+[^\s"'\\,;]+|${TOKENISH})`,
      'g',
    ),
    (_match, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  [/(\b(?:set-)?cookie\s*[:=]\s*)[^\r\n"'\\]+/gi, `$1${REDACTED}`],
  [new RegExp(String.raw`\b([Bb]earer|BEARER|[Bb]asic|BASIC)\s+${TOKENISH}`, 'g'), `$1 ${REDACTED}`],
  // name=value in a query string, a form body, a DSN or a command line; quoted values whole.
  [new RegExp(String.raw`(${KEY}=)(?:'[^']*'|[^\s&;"'\\|<>]+)`, 'gi'), `$1${REDACTED}`],
  // scheme://user:password@host: keep the user and host, they help debugging.
  [/((?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:/@"]*):[^\s/@"]+@/gi, `$1:${REDACTED}@`],
  // Slack: tokens of every kind (bot, user, refresh, app-level…) and request signatures.
  [/\bxox(?:e\.xox)?[a-z]-[A-Za-z0-9-]+/g, REDACTED],
  [/\bxapp-[A-Za-z0-9-]+/g, REDACTED],
  [/\bv0=[0-9a-f]{64}\b/g, `v0=${REDACTED}`],
  // JSON Web Tokens (an ID token, a service account's signed assertion).
  [/\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // Google: OAuth access and refresh tokens, API keys.
  [/\bya29\.[A-Za-z0-9_-]+/g, REDACTED],
  [/\b1\/\/0[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED],
  // Warroom's own incident-page tokens (`<expiry>.<HMAC>`), wherever they travel.
  [/\b\d{9,12}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, REDACTED],
];

/**
 * Replaces every credential-shaped part of `text` with `[redacted]` and keeps the rest, so a line
 * stays readable (and a JSON line stays valid JSON). Idempotent.
 */
export function scrubCredentials(text: string): string {
  let out = text;
  for (const [shape, replacement] of RULES) {
    out = typeof replacement === 'string' ? out.replace(shape, replacement) : out.replace(shape, replacement);
  }
  return out;
}
