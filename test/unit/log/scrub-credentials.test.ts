import { scrubCredentials } from '../../../src/log/scrub-credentials';

const R = '[redacted]';
const LINK_TOKEN = '1797476400.bd43oLIPwmjfTEWsvZIpDKEmea3W5evZhHnCqAgKTR4';
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.c2lnbmF0dXJlLXBhcnQtaGVyZQ';
const SIGNATURE = `v0=${'a1b2c3d4'.repeat(8)}`;
const GOOGLE_KEY = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';
const ACCESS = 'ya29.a0AfH6SMBx3dGh7kLmNoPqRsTuVwXyZ-0123456789';
const PEM =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKjMzEfYyjiWA4R4/M2bS1G\n-----END PRIVATE KEY-----';

describe('scrubCredentials', () => {
  it.each<[string, string, string]>([
    [
      'a signed incident-page link in a Slack mrkdwn link',
      `See <https://warroom.example.com/incidents/inc-20261203-db?token=${LINK_TOKEN}|incident page>`,
      `See <https://warroom.example.com/incidents/inc-20261203-db?token=${R}|incident page>`,
    ],
    ['token= in a form body', `channel=C01&token=${LINK_TOKEN}&ts=1.2`, `channel=C01&token=${R}&ts=1.2`],
    [
      'token= after a JSON-escaped ampersand',
      String.raw`"https://x.example/a?b=1\u0026token=abc123def"`,
      String.raw`"https://x.example/a?b=1\u0026token=${R}"`,
    ],
    [
      'token= inside a JSON-escaped string',
      String.raw`{\"text\":\"open https://w.example/incidents/inc-1?token=12.ab\"}`,
      String.raw`{\"text\":\"open https://w.example/incidents/inc-1?token=${R}\"}`,
    ],
    [
      'access_token and refresh_token',
      'access_token=abc.def&refresh_token=1//xyz',
      `access_token=${R}&refresh_token=${R}`,
    ],
    [
      'id_token and client_secret',
      'id_token=e30.e30.&client_secret=GOCSPX-abc',
      `id_token=${R}&client_secret=${R}`,
    ],
    ['api_key and apikey', '?api_key=k-123&apikey=k-456', `?api_key=${R}&apikey=${R}`],
    ['secret, signature and sig', 'secret=s3 signature=zzz sig=q1', `secret=${R} signature=${R} sig=${R}`],
    [
      'a libpq password',
      'host=10.20.0.3 user=app password=hunter2 dbname=app',
      `host=10.20.0.3 user=app password=${R} dbname=app`,
    ],
    ['a quoted libpq password with a space', "password='two words' dbname=app", `password=${R} dbname=app`],
    ['a URL password', 'postgres://app:hunter2@10.20.0.3:5432/app', `postgres://app:${R}@10.20.0.3:5432/app`],
    ['a JSON token value', '{"token":"tok-3f9a1c7e","ok":true}', `{"token":"${R}","ok":true}`],
    [
      'JSON access_token and client_secret values, escaped once',
      String.raw`body: {\"access_token\":\"abc\",\"client_secret\":\"def\",\"expires_in\":3599}`,
      String.raw`body: {\"access_token\":\"${R}\",\"client_secret\":\"${R}\",\"expires_in\":3599}`,
    ],
    [
      'a JSON value escaped twice',
      String.raw`{\\\"password\\\":\\\"hunter2\\\"}`,
      String.raw`{\\\"password\\\":\\\"${R}\\\"}`,
    ],
    ['a JSON Authorization header', '{"Authorization":"Bearer abc.def"}', `{"Authorization":"${R}"}`],
    ["a Python dict's secret", "{'api_key': 'k-123', 'user': 'ops'}", `{'api_key': '${R}', 'user': 'ops'}`],
    ['an Authorization: Bearer header', 'Authorization: Bearer abc.def-ghi', `Authorization: Bearer ${R}`],
    ['an Authorization: Basic header', 'authorization: Basic dXNlcjpwYXNz', `authorization: Basic ${R}`],
    ['a bearer token on its own', 'sent Bearer tok-3f9a1c7e to chat', `sent Bearer ${R} to chat`],
    ['basic credentials on their own', 'with Basic dXNlcjpwYXNzd29yZA==', `with Basic ${R}`],
    ['a cookie header', 'Cookie: warroom_web=12.abc; other=1', `Cookie: ${R}`],
    ['a Slack bot token', 'auth xoxb-1111-2222-abcdef', `auth ${R}`],
    ['a Slack user token', 'auth xoxp-1-2-3-abc', `auth ${R}`],
    ['a Slack refresh token', 'auth xoxe.xoxp-1-Mi0yLTE', `auth ${R}`],
    [
      'a Slack legacy and app-level token',
      'xoxs-1-2 xoxa-2-3 xoxr-4-5 xapp-1-A1-2-ff',
      `${R} ${R} ${R} ${R}`,
    ],
    ['a Slack signature', `x-slack-signature: ${SIGNATURE}`, `x-slack-signature: v0=${R}`],
    ['a JSON Slack signature', `{"x-slack-signature":"${SIGNATURE}"}`, `{"x-slack-signature":"${R}"}`],
    ['a JWT', `id ${JWT} end`, `id ${R} end`],
    ['a Google access token', `using ${ACCESS}`, `using ${R}`],
    ['a Google API key', `key ${GOOGLE_KEY}.`, `key ${R}.`],
    ['a PEM private key', `key:\n${PEM}\ndone`, `key:\n${R}\ndone`],
    [
      'a PEM private key with escaped newlines and no END line',
      String.raw`"private_key_data":"-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0B"`,
      `"private_key_data":"${R}"`,
    ],
    ['an incident-page token on its own', `cookie value ${LINK_TOKEN} set`, `cookie value ${R} set`],
  ])('redacts %s', (_, input, expected) => {
    expect(scrubCredentials(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['the word token in a sentence', 'The token expired; ask for a new link. Tokens are valid for 14 days.'],
    ['token counts', 'max_tokens=4096 tokens=12 token_type=bearer'],
    ['a token_type JSON key', '{"token_type":"Bearer","expires_in":3599}'],
    ['Slack user, channel and team ids', 'U0123ABC opened in C0000000001 of T0001 (bot U0WARROOM)'],
    ['incident ids and channel names', 'inc-20261203-every-endpoint-answers-503 and inc-20261203-db'],
    [
      'revision and service names',
      'backend-00042-kav replaces backend-00041-wuz in projects/acme/locations/us',
    ],
    ['request ids', 'request r0123456789 of restart'],
    ['prose about authorization and secrets', 'Authorization required: the secret manager denied access.'],
    ['prose about basic and bearer', 'Basic authentication is off; Bearer tokens only.'],
    ['a signature word', 'the signature was invalid'],
    ['a URL without a password', 'https://user@example.com/path?page=2&sort=asc'],
    ['timestamps and durations', '2026-12-03T02:47:26.468Z took 1.2 s, 1797476400 seconds'],
    ['design= and config=', 'design=flat config=prod'],
    ['words of eight letters after Bearer', 'Bearer required'],
  ])('leaves %s alone', (_, text) => {
    expect(scrubCredentials(text)).toBe(text);
  });

  it('is idempotent and keeps a JSON line valid', () => {
    const line = JSON.stringify({
      msg: `http request body: ${JSON.stringify({ text: `<https://w.example/incidents/i?token=${LINK_TOKEN}|page>`, token: 'xoxb-1-2', auth: `Bearer ${JWT}`, key: PEM })}`,
    });
    const once = scrubCredentials(line);
    expect(scrubCredentials(once)).toBe(once);
    expect(() => JSON.parse(once)).not.toThrow();
    for (const secret of [
      LINK_TOKEN,
      'xoxb-1-2',
      JWT,
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
    ])
      expect(once).not.toContain(secret);
  });

  it.each([
    ['a long word', `${'a'.repeat(100_000)} ${'token '.repeat(10_000)}`],
    ['a run of backslashes', '\\'.repeat(50_000)],
    ['a long URL without a password', `https://${'a'.repeat(50_000)}:${'b'.repeat(50_000)}`],
    ['repeated key names', `${'x_'.repeat(30_000)}token`],
  ])('stays fast on %s', (_, line) => {
    const started = performance.now();
    scrubCredentials(line);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
