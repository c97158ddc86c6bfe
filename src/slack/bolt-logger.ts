// From the Web API package: the Slack app is not loaded where only the Web API is used (workers).
import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from '../log/logger';

/** Bolt and its clients log through our logger, so their lines get the same secret scrubbing. */
export function boltLogger(log: Logger): SlackLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const join = (parts: unknown[]) =>
    parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...msg) => child.debug(join(msg)),
    info: (...msg) => child.info(join(msg)),
    warn: (...msg) => child.warn(join(msg)),
    error: (...msg) => child.error(join(msg)),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
