import fc from 'fast-check';
import { registry } from '../../../commands';
import { dispatch } from '../../../src/commands/dispatch';
import type { CommandContext } from '../../../src/commands/subcommand';
import { parseConfig } from '../../../src/config/load-config';
import type { DiagRequest, DiagStarter } from '../../../src/diag/launch-diag';
import type { IncidentDesk } from '../../../src/incident/incident-desk';
import { createLogger } from '../../../src/log/logger';
import type { RemediationAsk, RemediationDesk } from '../../../src/remediation/remediation-desk';
import type { VerifyStarter } from '../../../src/verify/verify-launcher';

const parsed = parseConfig(
  'environments:\n  staging: { project: acme-staging, region: us-central1, sqlInstance: staging-db, services: [backend] }\n',
  'fuzz.yml',
);
if (!parsed.ok) throw new Error('fixture config does not parse');
const config = parsed.config;

/** Records what would be queued: the property is about what reaches Google, so nothing else runs. */
class RecordingDiagStarter implements DiagStarter {
  readonly launched: DiagRequest[] = [];
  async launch(request: DiagRequest) {
    this.launched.push(request);
    return { runId: 'd1', joined: false };
  }
}

/**
 * Outside any incident channel: incident commands answer with a pointer to /incident open, and a
 * valid `open` is recorded (it would queue a job) so its environment can be checked.
 */
const opened: string[] = [];
const noIncidents = {
  forChannel: async () => undefined,
  open: async (request: { environment: string }) => {
    opened.push(request.environment);
    return 'inc-1';
  },
} as unknown as IncidentDesk;

/** Restarts, rollbacks and verifications that would be queued: only configured names may get here. */
const asked: RemediationAsk[] = [];
const remediation = {
  ask: async (ask: RemediationAsk) => {
    asked.push(ask);
    return { kind: 'refused', reason: 'recorded by the test' };
  },
  approve: async () => ({ kind: 'unknown' }),
  deny: async () => ({ kind: 'unknown' }),
} as unknown as RemediationDesk;
const verified: string[] = [];
const verify: VerifyStarter = {
  verify: async ({ environment }) => {
    verified.push(environment.name);
    return { runId: 'v1' };
  },
  watch: async () => Promise.reject(new Error('no incident channel here, so no watch')),
  stopWatches: async () => 0,
};

const words = fc.oneof(
  fc.constantFrom(
    ...registry.map((c) => c.name),
    'staging',
    'prod',
    'backend',
    'backend-00041-wuz',
    '--dry-run',
    '--reason',
    '--watch',
    '30m',
    'r0123456789',
    '--sev',
    'P1',
    'P9',
    '"',
    "'",
    '<!channel>',
    '<@U1|a b>',
  ),
  fc.constantFrom('../../x', 'a/b', 'staging/../prod', '%2e%2e', 'x'.repeat(600), '\u0000', '\u202e', '🔥'),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const commandText = fc.oneof(
  fc.array(words, { maxLength: 8 }).map((parts) => parts.join(' ')),
  fc.string({ unit: 'binary', maxLength: 5000 }),
);

describe('any text after /incident', () => {
  it('gets a clear reply, never an exception, and only configured environments reach diagnostics', async () => {
    const diag = new RecordingDiagStarter();
    const base: Omit<CommandContext, 'invocation'> = {
      config,
      registry,
      log: createLogger({ level: 'silent' }),
      services: { diag, incidents: noIncidents, remediation, verify },
    };
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const { reply } = await dispatch({
          ...base,
          invocation: {
            id: 'fuzz',
            text,
            userId: 'U1',
            channelId: 'C1',
            source: 'slack',
            receivedAt: new Date(0).toISOString(),
          },
        });
        expect(typeof reply.text).toBe('string');
        expect(reply.text.length).toBeGreaterThan(0);
        expect(reply.text).not.toMatch(/failed unexpectedly|\n\s+at /);
        expect(reply.text).not.toContain('<!channel>');
      }),
      { numRuns: 5000 },
    );
    for (const request of diag.launched)
      expect(Object.keys(config.environments)).toContain(request.environment.name);
    for (const ask of asked) {
      expect(Object.keys(config.environments)).toContain(ask.environment.name);
      expect(ask.environment.services).toContain(ask.service);
      if (ask.revision) expect(ask.revision).toMatch(/^backend-[-a-z0-9]*[a-z0-9]$/);
    }
    for (const name of verified) expect(Object.keys(config.environments)).toContain(name);
  });
});
