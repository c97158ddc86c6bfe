/**
 * `/incident verify <env> [--watch 30m]` — checks the success criteria: every health URL answers
 * 200 within 10 s, database connect time under 35 s, every Cloud Run service ready, and the
 * configured `verify.steps`; pass or fail per criterion, with the figures. With `--watch`, repeats
 * the check every minute for that long, pages the primary tier on the first failure and ends with
 * a verdict.
 */

import { formatDuration, parseDuration } from '../src/config/duration';
import type { EnvironmentConfig } from '../src/config/schema';
import { parseOptions } from '../src/router/command-input';
import { environmentArg } from '../src/router/environment-arg';
import { defineSubcommand } from '../src/router/subcommand';

/** The launcher also insists on at least two verifications (2m at the usual 1m interval). */
const MIN_WATCH_MS = 1_000;
const MAX_WATCH_MS = 24 * 3600_000;

export default defineSubcommand<{ environment: EnvironmentConfig; watchMs?: number }>({
  name: 'verify',
  usage: 'verify <env> [--watch 30m]',
  summary:
    'Check the success criteria (health, database, Cloud Run, steps); --watch repeats it every minute.',
  examples: ['/incident verify staging', '/incident verify staging --watch 30m'],
  sideEffects: { when: 'with --watch', applies: (args) => args.watchMs !== undefined },
  access: {
    who: 'anyone',
    stricter: {
      when: 'with --watch',
      applies: (args) => args.watchMs !== undefined,
      who: 'commander-or-responders',
    },
  },
  changesIncident: (args) => args.watchMs !== undefined,
  incident: 'optional',
  parse(input, { config }) {
    const parsed = parseOptions(input, { single: ['watch'] });
    if (!parsed.ok) return parsed;
    const { positional, values } = parsed.options;
    if (positional.length > 1) return { ok: false, error: 'verify takes one environment name.' };
    const env = environmentArg(positional.word(0), config);
    if (!env.ok) return env;
    if (values.watch === undefined) return { ok: true, args: { environment: env.environment } };
    const watchMs = parseDuration(values.watch);
    if (watchMs === undefined || watchMs < MIN_WATCH_MS || watchMs > MAX_WATCH_MS) {
      return {
        ok: false,
        error: `--watch takes a duration from ${formatDuration(MIN_WATCH_MS)} to ${formatDuration(MAX_WATCH_MS)}, e.g. 30m or 2h; "${values.watch.slice(0, 20)}" is not one.`,
      };
    }
    return { ok: true, args: { environment: env.environment, watchMs } };
  },
  async run({ environment, watchMs }, { invocation, services }, incident) {
    if (watchMs === undefined) {
      const { runId } = await services.verify.verify({
        environment,
        invocation,
        ...(incident ? { incident } : {}),
      });
      return {
        reply: {
          text: `:stethoscope: Verifying *${environment.name}* against the success criteria (run ${runId}); the result comes into the channel.`,
        },
      };
    }
    if (!incident) {
      return {
        reply: {
          text: 'A watch pages the incident’s primary tier on its first failure and stops when the incident closes, so start it in an open incident’s channel. `/incident verify <env>` without --watch works anywhere.',
        },
      };
    }
    const started = await services.verify.watch({ environment, durationMs: watchMs, invocation, incident });
    if (started.kind === 'too-short') {
      return {
        reply: {
          text: `A watch verifies once per interval, so it needs at least ${formatDuration(started.minMs)}; try \`--watch 30m\`.`,
        },
      };
    }
    const { watch, coverage } = started;
    return {
      reply: {
        text:
          started.kind === 'joined'
            ? `A watch of *${environment.name}* is already running here (watch ${watch.id}, until ${watch.endsAt.slice(11, 16)} UTC); its message is in the channel.`
            : `:eyes: Watching *${environment.name}* for ${formatDuration(watchMs)}: a verification every ${formatDuration(watch.everyMs)}, the primary tier is paged on the first failure (watch ${watch.id}). ${coverage}`,
      },
    };
  },
});
