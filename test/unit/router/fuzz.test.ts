import fc from 'fast-check';
import { registry } from '../../../commands';
import { createLogger } from '../../../src/log/logger';
import { dispatch } from '../../../src/router/dispatch';
import type { VerifyStarter } from '../../../src/verify/verify-launcher';
import {
  commandServices,
  configFrom,
  invocation,
  RecordingDiag,
  RecordingIncidents,
  RecordingRemediation,
} from '../../support/command-context';

const config = configFrom(
  'environments:\n  staging: { project: acme-staging, region: us-central1, sqlInstance: staging-db, services: [backend] }\n',
);

/** Verifications that would be queued: only configured names may get here. */
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
  it('gets a clear reply, never an exception, and only configured names reach Google', async () => {
    const diag = new RecordingDiag();
    const remediation = new RecordingRemediation();
    const incidents = new RecordingIncidents();
    const services = commandServices(config, { diag, remediation, incidents, verify });
    const base = { config, registry, log: createLogger({ level: 'silent' }), services };
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const { reply } = await dispatch({ ...base, invocation: invocation(text, 'U1', 'C1') });
        expect(typeof reply.text).toBe('string');
        expect(reply.text.length).toBeGreaterThan(0);
        expect(reply.text).not.toMatch(/failed unexpectedly|\n\s+at /);
        expect(reply.text).not.toContain('<!channel>');
      }),
      { numRuns: 5000 },
    );
    for (const request of diag.launched)
      expect(Object.keys(config.environments)).toContain(request.environment.name);
    for (const ask of remediation.asked) {
      expect(Object.keys(config.environments)).toContain(ask.environment.name);
      expect(ask.environment.services).toContain(ask.service);
      if (ask.revision) expect(ask.revision).toMatch(/^backend-[-a-z0-9]*[a-z0-9]$/);
    }
    for (const name of verified) expect(Object.keys(config.environments)).toContain(name);
    // Outside an incident channel, opening is the only thing that reaches the incident desk.
    expect(new Set(incidents.methods().filter((m) => m !== 'open'))).toEqual(new Set());
  });
});
