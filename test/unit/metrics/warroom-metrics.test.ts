import { WarroomMetrics } from '../../../src/metrics/warroom-metrics';

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('WarroomMetrics', () => {
  it('keeps each instance on its own registry', async () => {
    const a = new WarroomMetrics({ subcommands: ['diag'] });
    const b = new WarroomMetrics({ subcommands: ['diag'] });
    a.slackCall('chat.postMessage', 'ok');
    expect(
      sample(await a.render(), 'warroom_slack_calls_total', 'method="chat.postMessage",outcome="ok"'),
    ).toBe(1);
    expect(await b.render()).not.toContain('method="chat.postMessage"');
  });

  it('labels an ack by subcommand name only, and anything else unknown', async () => {
    const metrics = new WarroomMetrics({ subcommands: ['help', 'diag'] });
    metrics.ackTimed('diag', 0.004);
    metrics.ackTimed('drop-table-users', 0.002);
    const text = await metrics.render();
    expect(sample(text, 'warroom_command_ack_seconds_count', 'subcommand="diag"')).toBe(1);
    expect(sample(text, 'warroom_command_ack_seconds_count', 'subcommand="unknown"')).toBe(1);
    expect(text).not.toContain('drop-table-users');
  });

  it('labels Google calls by method, never by resource, and counts failures by kind', async () => {
    const metrics = new WarroomMetrics({ subcommands: [] });
    metrics.googleCall({ operation: 'getService projects/acme/locations/r/services/backend', seconds: 0.3 });
    metrics.googleCall({
      operation: 'getService projects/acme/locations/r/services/auth',
      seconds: 0.1,
      error: 'permission-denied',
    });
    const text = await metrics.render();
    expect(
      sample(text, 'warroom_google_call_duration_seconds_count', 'operation="getService",outcome="ok"'),
    ).toBe(1);
    expect(
      sample(text, 'warroom_google_call_errors_total', 'operation="getService",kind="permission-denied"'),
    ).toBe(1);
    expect(text).not.toContain('projects/acme');
  });

  it('times finished jobs and counts failed attempts', async () => {
    const metrics = new WarroomMetrics({ subcommands: [] });
    metrics.jobFinished({ queue: 'diag-check', name: 'cloud-sql', outcome: 'completed', seconds: 0.2 });
    metrics.jobFinished({ queue: 'diag-check', name: 'cloud-sql', outcome: 'failed', seconds: 0.1 });
    metrics.jobFinished({ queue: 'incident', name: 'open', outcome: 'failed' });
    const text = await metrics.render();
    const labels = 'queue="diag-check",name="cloud-sql"';
    expect(sample(text, 'warroom_job_duration_seconds_count', `${labels},outcome="completed"`)).toBe(1);
    expect(sample(text, 'warroom_job_failures_total', labels)).toBe(1);
    expect(sample(text, 'warroom_job_failures_total', 'queue="incident",name="open"')).toBe(1);
  });

  it('counts rate-limited Slack calls on their own as well', async () => {
    const metrics = new WarroomMetrics({ subcommands: [] });
    metrics.slackCall('chat.update', 'rate_limited');
    metrics.slackCall('chat.update', 'error');
    const text = await metrics.render();
    expect(text).toMatch(/^warroom_slack_rate_limited_total 1$/m);
    expect(sample(text, 'warroom_slack_calls_total', 'method="chat.update",outcome="error"')).toBe(1);
  });

  it('reports the queues that answer and skips, in time, the ones that do not', async () => {
    const metrics = new WarroomMetrics({ subcommands: [], queueCountTimeoutMs: 50 });
    metrics.watchQueues([
      { name: 'verify', getJobCounts: async () => ({ waiting: 3, active: 1 }) },
      { name: 'incident', getJobCounts: () => new Promise(() => {}) },
    ]);
    const text = await metrics.render();
    expect(sample(text, 'warroom_queue_jobs', 'queue="verify",state="waiting"')).toBe(3);
    expect(text).not.toContain('queue="incident"');
  });

  it('includes Node process metrics', async () => {
    const text = await new WarroomMetrics({ subcommands: [] }).render();
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
