import verify from '../../../commands/verify';
import { refusalOf, runParsed } from './parse-command';

/** The environment verified and, for a watch, for how long. */
async function verified(text: string) {
  const { verify: starter } = await runParsed(verify, text);
  return [
    ...starter.verified.map((v) => ({ environment: v.environment.name })),
    ...starter.watched.map((w) => ({ environment: w.environment.name, watchMs: w.durationMs })),
  ];
}

describe('/incident verify', () => {
  it.each([
    ['verify staging', { environment: 'staging' }],
    ['verify staging --watch 30m', { environment: 'staging', watchMs: 30 * 60_000 }],
    ['verify STAGING --WATCH 2h', { environment: 'staging', watchMs: 2 * 3600_000 }],
    ['verify --watch 45m staging', { environment: 'staging', watchMs: 45 * 60_000 }],
    ['verify staging --watch=1h30m', { environment: 'staging', watchMs: 90 * 60_000 }],
    ['verify staging --watch "1h 30m"', { environment: 'staging', watchMs: 90 * 60_000 }],
    ['verify staging \u2014watch 1s', { environment: 'staging', watchMs: 1000 }],
    ['verify staging --watch 24h', { environment: 'staging', watchMs: 24 * 3600_000 }],
  ])('reads %j as %o', async (text, args) => {
    expect(await verified(text)).toEqual([args]);
  });

  const range = '--watch takes a duration from 1s to 1d, e.g. 30m or 2h';
  it.each([
    ['verify', 'Which environment? Configured: `staging`.'],
    ['verify --watch 30m', 'Which environment? Configured: `staging`.'],
    ['verify production', 'There is no environment "production".'],
    ['verify staging backend', 'verify takes one environment name.'],
    ['verify staging --watch 30m 10m', 'verify takes one environment name.'],
    ['verify staging --watch', '--watch needs a value.'],
    ['verify staging --watch soon', `${range}; "soon" is not one.`],
    ['verify staging --watch 30', `${range}; "30" is not one.`],
    ['verify staging --watch 500ms', `${range}; "500ms" is not one.`],
    ['verify staging --watch 25h', `${range}; "25h" is not one.`],
    ['verify staging --watch 30m1h', `${range}; "30m1h" is not one.`],
    ['verify staging --watch -5m', `${range}; "-5m" is not one.`],
    ['verify staging --watch 30m --watch 1h', '--watch is given twice; give it once.'],
    ['verify staging --wacth 30m', 'Unknown option "--wacth". Did you mean --watch? Options: --watch.'],
    ['verify staging --dry-run', 'Unknown option "--dry-run".'],
    ['verify staging -watch 30m', '"-watch" has one dash; did you mean --watch?'],
  ])('refuses %j: %s', (text, error) => {
    expect(refusalOf(verify, text)).toContain(error);
  });
});
