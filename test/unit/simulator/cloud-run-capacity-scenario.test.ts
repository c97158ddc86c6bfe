import { classifyEntry } from '../../../src/diag/checks/log-classify';
import { logFilter } from '../../../src/diag/checks/logs';
import { INSTANCE_COUNT_METRIC } from '../../../src/diag/checks/service-capacity';
import type { LogEntry } from '../../../src/gcp/cloud-gateway';
import { matchesFilter, parseFilter } from '../../../src/simulator/filter';
import { loadScenario } from '../../../src/simulator/load-scenario';
import { generateLogEntries } from '../../../src/simulator/log-entries';
import { renderSeries, seriesOf } from '../../../src/simulator/time-series';

const NOW = new Date('2026-01-15T10:00:00Z');

describe('the cloud-run-capacity scenario', () => {
  const scenario = loadScenario('cloud-run-capacity');

  it('runs backend at its max of 20 instances, the other services at the default', () => {
    expect(scenario.services.backend?.maxInstances).toBe(20);
    expect(scenario.services.backend?.instanceCount?.at(-1)).toBe(20);
    expect(scenario.services.auth?.instanceCount).toBeUndefined();
  });

  it("serves backend's instance_count as Monitoring does, on its latest revision, int64 as strings", () => {
    const [spec, ...others] = seriesOf(scenario).filter((s) => s.metric.type === INSTANCE_COUNT_METRIC);
    expect(others).toHaveLength(0);
    const filter = parseFilter(
      `metric.type="${INSTANCE_COUNT_METRIC}" AND resource.labels.service_name="backend" AND resource.labels.location="us-central1"`,
    );
    expect(matchesFilter(filter, spec)).toBe(true);
    const rendered = renderSeries(
      spec as NonNullable<typeof spec>,
      scenario,
      NOW,
      new Date(NOW.getTime() - 30 * 60_000),
      NOW,
    );
    expect(rendered).toMatchObject({
      metricKind: 'GAUGE',
      valueType: 'INT64',
      metric: { labels: { state: 'active' } },
      resource: { type: 'cloud_run_revision', labels: { revision_name: 'backend-00042-kav' } },
    });
    expect(rendered.points[0]).toMatchObject({
      interval: { endTime: NOW.toISOString() },
      value: { int64Value: '20' },
    });
  });

  it('logs 134 requests rejected with 429 "no available instance", which the diagnosis filter selects', () => {
    const filter = parseFilter(logFilter('acme-staging', 'backend', new Date(NOW.getTime() - 30 * 60_000)));
    const selected = generateLogEntries(scenario, NOW).filter((entry) => matchesFilter(filter, entry));
    expect(selected).toHaveLength(134);
    for (const entry of selected) {
      expect(entry).toMatchObject({ severity: 'WARNING', httpRequest: { status: 429 } });
      expect(classifyEntry(entry as LogEntry).kind).toBe('rejected');
    }
  });
});
