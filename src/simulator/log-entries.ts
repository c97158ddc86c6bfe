import type { Scenario } from './scenario';

/** A Logging v2 `LogEntry` in the discovery JSON shape `entries.list` returns. */
export type SimulatedLogEntry = Record<string, unknown> & { timestamp: string; insertId: string };

/** `{n}` in a payload becomes the entry's 1-based number in its group, so messages can vary. */
function fill(value: unknown, n: number): unknown {
  if (typeof value === 'string') return value.replaceAll('{n}', String(n));
  if (Array.isArray(value)) return value.map((item) => fill(item, n));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item, n)]));
  }
  return value;
}

/**
 * The entries a scenario's `logs` describe, oldest first. Timestamps are spread evenly over each
 * group's window ending at `anchor` (or `endedMinutesAgo` before it), so "the last 30 minutes"
 * queries see them.
 */
export function generateLogEntries(scenario: Scenario, anchor: Date): SimulatedLogEntry[] {
  const entries: SimulatedLogEntry[] = [];
  scenario.logs.forEach((group, groupIndex) => {
    const service = scenario.services[group.service];
    const revision = service?.latestCreatedRevision ?? `${group.service}-00001-abc`;
    const windowMs = group.withinMinutes * 60_000;
    const end = anchor.getTime() - group.endedMinutesAgo * 60_000;
    for (let i = 0; i < group.count; i++) {
      const at = new Date(end - Math.round((windowMs * (group.count - i - 0.5)) / group.count));
      const n = i + 1;
      const insertId = `${groupIndex.toString(16).padStart(2, '0')}${n.toString(16).padStart(6, '0')}sim`;
      entries.push({
        insertId,
        logName: `projects/${scenario.project}/logs/run.googleapis.com%2F${encodeURIComponent(group.log)}`,
        resource: {
          type: 'cloud_run_revision',
          labels: {
            project_id: scenario.project,
            service_name: group.service,
            revision_name: revision,
            location: scenario.region,
            configuration_name: group.service,
          },
        },
        timestamp: at.toISOString(),
        receiveTimestamp: new Date(at.getTime() + 137).toISOString(),
        severity: group.severity,
        labels: { instanceId: `00f46b9285${(n % 7).toString().padStart(4, '0')}c8e1a` },
        ...(group.textPayload !== undefined ? { textPayload: fill(group.textPayload, n) } : {}),
        ...(group.jsonPayload !== undefined ? { jsonPayload: fill(group.jsonPayload, n) } : {}),
        ...(group.httpStatus !== undefined
          ? {
              httpRequest: {
                requestMethod: 'GET',
                requestUrl: `https://${group.service}-7x3kq2vb4a-uc.a.run.app/`,
                status: group.httpStatus,
                latency: '0.003s',
                protocol: 'HTTP/1.1',
              },
            }
          : {}),
      });
    }
  });
  return entries.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}
