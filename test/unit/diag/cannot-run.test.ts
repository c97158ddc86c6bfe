import { cannotRunJudgement, describeFailure, needs, roleFor } from '../../../src/diag/checks/cannot-run';
import {
  enumName,
  lastSegment,
  locationOf,
  toMillis,
  toNumber,
} from '../../../src/diag/checks/google-values';
import { runJudged, untilAborted } from '../../../src/diag/checks/with-deadline';
import { GcpError } from '../../../src/gcp/cloud-gateway';

describe('why a check could not run', () => {
  it.each<[string, unknown, string, string | undefined]>([
    [
      'a denial naming the permission',
      new GcpError('denied', 'permission-denied', 403, 'vpcaccess.connectors.get'),
      'permission denied (vpcaccess.connectors.get)',
      "grant roles/vpcaccess.viewer to Warroom's service account",
    ],
    [
      'a denial on private logs',
      new GcpError('denied', 'permission-denied', 403, 'logging.privateLogEntries.list'),
      'permission denied (logging.privateLogEntries.list)',
      "grant roles/logging.privateLogViewer to Warroom's service account",
    ],
    [
      'a denial on an unlisted permission of a known service',
      new GcpError('denied', 'permission-denied', 403, 'monitoring.metricDescriptors.list'),
      'permission denied (monitoring.metricDescriptors.list)',
      "grant roles/monitoring.viewer to Warroom's service account",
    ],
    [
      'a denial without a permission',
      new GcpError('denied', 'permission-denied', 403),
      'permission denied',
      "grant Warroom's service account the viewer role for this API",
    ],
    [
      'no credentials',
      new GcpError('no ADC', 'unauthenticated', 401),
      'not authenticated to Google Cloud',
      expect.stringContaining('Application Default Credentials'),
    ],
    [
      'the deadline',
      new GcpError('aborted', 'timeout'),
      "no answer within the check's deadline",
      'run the diagnosis again',
    ],
    [
      'rate limiting',
      new GcpError('slow down', 'rate-limited', 429),
      'rate-limited by Google Cloud (HTTP 429)',
      'run the diagnosis again in a minute',
    ],
    [
      'an AbortError from fetch',
      Object.assign(new Error('aborted'), { name: 'AbortError' }),
      "no answer within the check's deadline",
      'run the diagnosis again',
    ],
    [
      'a bug, with any DSN credentials removed',
      new Error('bad postgres://u:p@h/db'),
      'unexpected error: bad postgres://***@h/db',
      undefined,
    ],
  ])('explains %s', (_title, error, reason, fix) => {
    expect(describeFailure(error)).toEqual(fix === undefined ? { reason } : { reason, fix });
  });

  it('maps permissions to roles', () => {
    expect(roleFor('cloudsql.instances.get')).toBe('roles/cloudsql.viewer');
    expect(roleFor('run.revisions.list')).toBe('roles/run.viewer');
    expect(roleFor('storage.objects.get')).toBeUndefined();
    expect(roleFor(undefined)).toBeUndefined();
  });

  it('names the permission of the call when Google did not', async () => {
    const denied = Promise.reject(new GcpError('denied', 'permission-denied', 403));
    await expect(needs('run.services.get', denied)).rejects.toMatchObject({ permission: 'run.services.get' });
  });

  it('builds an unknown Finding with the fix', () => {
    const judgement = cannotRunJudgement(
      'cloud-sql',
      new GcpError('denied', 'permission-denied', 403, 'cloudsql.instances.get'),
    );
    expect(judgement).toMatchObject({
      check: 'cloud-sql',
      status: 'unknown',
      summary: 'could not run: permission denied (cloudsql.instances.get)',
      cannotRun: { fix: "grant roles/cloudsql.viewer to Warroom's service account" },
    });
  });
});

describe('run() never rejects', () => {
  it('turns a thrown error into an unknown Finding with its duration', async () => {
    const finding = await runJudged('logs', { signal: new AbortController().signal }, async () => {
      throw new GcpError('denied', 'permission-denied', 403, 'logging.logEntries.list');
    });
    expect(finding).toMatchObject({
      check: 'logs',
      status: 'unknown',
      cannotRun: { fix: expect.stringContaining('roles/logging.viewer') },
    });
    expect(finding.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('answers at the deadline even when the work never settles', async () => {
    const controller = new AbortController();
    const pending = runJudged('cloud-run', controller, () => new Promise(() => undefined));
    controller.abort();
    await expect(pending).resolves.toMatchObject({
      status: 'unknown',
      summary: "could not run: no answer within the check's deadline",
    });
  });

  it('rejects at once when the signal is already aborted', async () => {
    await expect(untilAborted(Promise.resolve(1), AbortSignal.abort())).rejects.toMatchObject({
      kind: 'timeout',
    });
  });
});

describe("Google's values", () => {
  it.each<[unknown, string | undefined]>([
    ['READY', 'READY'],
    [1, 'READY'],
    [4, 'ERROR'],
    [99, '99'],
    ['', undefined],
    [null, undefined],
  ])('enum %j → %s', (value, name) => {
    expect(enumName(value, ['STATE_UNSPECIFIED', 'READY', 'CREATING', 'DELETING', 'ERROR'])).toBe(name);
  });

  it.each<[unknown, number | undefined]>([
    ['2026-01-15T10:00:00Z', Date.UTC(2026, 0, 15, 10)],
    [{ seconds: '1768471200', nanos: 500_000_000 }, 1768471200500],
    [{ seconds: 1768471200 }, 1768471200000],
    [{ seconds: { toNumber: () => 1768471200 } }, 1768471200000],
    ['not a date', undefined],
    [undefined, undefined],
  ])('timestamp %j → %s', (value, ms) => {
    expect(toMillis(value)).toBe(ms);
  });

  it('reads numbers and resource names', () => {
    expect(toNumber('42')).toBe(42);
    expect(toNumber('x')).toBeUndefined();
    expect(lastSegment('projects/p/locations/r/connectors/c')).toBe('c');
    expect(locationOf('projects/p/locations/us-east1/connectors/c')).toBe('us-east1');
    expect(locationOf('c')).toBeUndefined();
  });
});
