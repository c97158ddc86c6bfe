import { createLogger, lineScrubber } from '../../../src/log/logger';
import { boltLogger } from '../../../src/slack/bolt-logger';

const BOT = 'xoxb-1111-2222-abcdefABCDEF';
const SIGNING = '8f742231b10e8888abcd99aa85a5';

/** A logger whose lines land in `lines`, as written. */
function capture(secrets: string[] = [], level = 'info') {
  const lines: string[] = [];
  const log = createLogger({ level, secrets, destination: { write: (line: string) => lines.push(line) } });
  return { log, lines, text: () => lines.join('') };
}

describe('createLogger', () => {
  it('writes one JSON object per line with the level, name and message', () => {
    const lines: string[] = [];
    const log = createLogger({ name: 'warroom', destination: { write: (line: string) => lines.push(line) } });
    log.info({ incident: 'INC-7' }, 'incident opened');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({
      level: 'info',
      severity: 'INFO',
      name: 'warroom',
      incident: 'INC-7',
      msg: 'incident opened',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('drops lines below its level', () => {
    const { log, lines } = capture([], 'warn');
    log.info('quiet');
    log.warn('loud');
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['loud']);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a token', { token: 'plain-token-value' }],
    ['a bot token one level down', { slack: { botToken: 'plain-token-value' } }],
    ['a signing secret two levels down', { app: { slack: { signingSecret: 'plain-token-value' } } }],
    ['an authorization header', { req: { headers: { authorization: 'Bearer plain-token-value' } } }],
    ['a password', { redis: { password: 'plain-token-value' } }],
    ['a database url', { database: { url: 'plain-token-value' } }],
    ['a dsn', { probe: { dsn: 'plain-token-value' } }],
  ])('redacts %s by key', (_, fields) => {
    const { log, text } = capture();
    log.info(fields, 'request handled');
    expect(text()).not.toContain('plain-token-value');
    expect(text()).toContain('[redacted]');
    expect(text()).toContain('request handled');
  });

  it('scrubs a secret it was given from an object, whatever the key', () => {
    const { log, text } = capture([SIGNING]);
    log.info({ debug: { deep: { deeper: { value: `sig=${SIGNING}` } } } }, 'checked signature');
    expect(text()).not.toContain(SIGNING);
    expect(text()).toContain('sig=[redacted]');
  });

  it('scrubs a token from an error message and its stack', () => {
    const { log, text } = capture([BOT]);
    log.error({ err: new Error(`invalid_auth for ${BOT}`) }, 'Slack call failed');
    const line = JSON.parse(text());
    expect(text()).not.toContain(BOT);
    expect(line.err.message).toBe('invalid_auth for [redacted]');
    expect(line.err.stack).toContain('invalid_auth for [redacted]');
    expect(line.msg).toBe('Slack call failed');
  });

  it('scrubs a token from an error logged on its own', () => {
    const { log, text } = capture([BOT]);
    log.error(new Error(`token ${BOT} revoked`));
    expect(text()).not.toContain(BOT);
    expect(text()).toContain('revoked');
  });

  it('scrubs anything shaped like a Slack token, even one it was not given', () => {
    const { log, text } = capture();
    log.warn('retrying with xoxb-9999-8888-zzzz and xapp-1-A1-2-ffff and xoxp-5-6-7');
    expect(text()).toContain('retrying with [redacted] and [redacted] and [redacted]');
  });

  it('scrubs the password from a DSN in a nested object but keeps the rest', () => {
    const { log, text } = capture();
    log.info(
      { probe: { target: { conn: 'postgres://app:hunter2@10.20.0.3:5432/app' } } },
      'probing database',
    );
    expect(text()).not.toContain('hunter2');
    expect(text()).toContain('postgres://app:[redacted]@10.20.0.3:5432/app');
    expect(text()).toContain('probing database');
  });

  it('scrubs a password from a key=value DSN', () => {
    const { log, text } = capture();
    log.info({ conn: 'host=10.20.0.3 user=app password=hunter2 dbname=app' }, 'probing');
    expect(text()).not.toContain('hunter2');
    expect(text()).toContain('dbname=app');
  });

  it('scrubs secrets from child loggers and formatted messages', () => {
    const { log, text } = capture([SIGNING]);
    log.child({ incident: 'INC-7', leaked: SIGNING }).info('secret is %s', SIGNING);
    expect(text()).not.toContain(SIGNING);
    expect(JSON.parse(text())).toMatchObject({ incident: 'INC-7', msg: 'secret is [redacted]' });
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)(
    'scrubs credential shapes from a %s line',
    (level) => {
      const { log, text } = capture([], 'trace');
      log[level](
        { url: 'https://w.example/incidents/inc-1?token=1797476400.abc' },
        'sent Bearer eyJh.eyJz.c2ln',
      );
      expect(text()).not.toMatch(/token=1797476400|eyJh/);
      expect(text()).toContain('token=[redacted]');
    },
  );

  it('scrubs a signed link and JSON secrets from a request body Bolt logs at debug', () => {
    const { log, lines } = capture([], 'debug');
    const body = {
      channel: 'C01',
      text: 'Incident opened: <https://w.example/incidents/inc-20261203-db?token=1797476400.bd43oLIPwmjfTEWsvZIpDKEmea3W5evZhHnCqAgKTR4|incident page>',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'see ?token=1797476400.x&y=1' } }],
      client_secret: 'GOCSPX-abc',
    };
    boltLogger(log).debug(`http request body: ${JSON.stringify(body)}`);
    const text = lines.join('');
    expect(text).not.toContain('1797476400');
    expect(text).not.toContain('GOCSPX-abc');
    expect(text).toContain('inc-20261203-db');
    expect(JSON.parse(text).msg).toContain('"client_secret":"[redacted]"');
  });

  it('scrubs a known secret escaped twice, as in JSON Bolt logged as text', () => {
    const secret = 'pa"ss-word-1';
    const { log, text } = capture([secret], 'debug');
    boltLogger(log).debug({ config: { note: secret } });
    expect(text()).not.toContain('pa\\"ss');
    expect(text()).toContain('[redacted]');
  });

  it('keeps every line valid JSON after scrubbing', () => {
    const secret = 'pa"ss\\word';
    const { log, lines } = capture([secret]);
    log.info({ value: secret, url: 'redis://u:x@host', other: 'a@b' }, 'quoted');
    expect(lines.join('')).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(() => lines.map((line) => JSON.parse(line))).not.toThrow();
  });
});

describe('lineScrubber', () => {
  it('leaves very short values alone so ordinary words survive', () => {
    expect(lineScrubber(['ab'])('about tabs')).toBe('about tabs');
  });

  it('removes a longer secret before a shorter one inside it', () => {
    expect(lineScrubber(['secret', 'secret-and-more'])('x secret-and-more y')).toBe('x [redacted] y');
  });
});
