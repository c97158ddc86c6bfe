import { matchesFilter, parseFilter } from '../../../src/simulator/filter';

const entry = {
  severity: 'ERROR',
  timestamp: '2025-03-01T10:15:00.000Z',
  logName: 'projects/acme-staging/logs/run.googleapis.com%2Fstderr',
  resource: { type: 'cloud_run_revision', labels: { service_name: 'backend', location: 'us-central1' } },
  textPayload: 'ERROR:app.db:Socket connection failed: could not reach 10.20.0.3:5432',
  jsonPayload: undefined,
};
const jsonEntry = {
  ...entry,
  resource: { type: 'cloud_run_revision', labels: { service_name: 'auth' } },
  severity: 'WARNING',
  textPayload: undefined,
  jsonPayload: { message: 'Socket connection failed', port: 5432 },
};

describe('simulator filter subset', () => {
  it.each([
    ['', true],
    ['resource.labels.service_name="backend"', true],
    ['resource.labels.service_name = "auth"', false],
    ['resource.labels.service_name!="auth"', true],
    ['severity>=ERROR', true],
    ['severity>=CRITICAL', false],
    ['severity>WARNING', true],
    ['severity=ERROR', true],
    ['severity<=INFO', false],
    ['timestamp>="2025-03-01T10:00:00Z"', true],
    ['timestamp>="2025-03-01T10:30:00Z"', false],
    ['timestamp<"2025-03-01T10:30:00.000Z"', true],
    ['textPayload:"socket connection failed"', true],
    ['textPayload:"Connection refused"', false],
    ['"Socket connection"', true],
    ['Socket', true],
    ['resource.labels.service_name="backend" AND severity>=ERROR', true],
    ['resource.labels.service_name="backend" severity>=ERROR', true],
    ['resource.labels.service_name="auth" AND severity>=ERROR', false],
    ['resource.labels.service_name="auth" OR severity>=ERROR', true],
    ['(textPayload:"Socket connection failed" OR jsonPayload.message:"Socket connection failed")', true],
    ['resource.labels.service_name=("auth" OR "backend")', true],
    ['resource.labels.service_name=("auth" OR "ai")', false],
    ['NOT severity=ERROR', false],
    ['-resource.labels.service_name="backend"', false],
    // Inside a quoted value a backslash escapes the next character, so a regex escape is doubled.
    ['textPayload=~"10\\\\.20\\\\.0\\\\.\\\\d+"', true],
    ['jsonPayload.message:"socket"', false],
    ['logName="projects/acme-staging/logs/run.googleapis.com%2Fstderr"', true],
  ])('%s → %s on a text entry', (filter, expected) => {
    expect(matchesFilter(parseFilter(filter), entry)).toBe(expected);
  });

  it.each([
    ['jsonPayload.message:"socket connection"', true],
    ['jsonPayload.port=5432', true],
    ['jsonPayload:"Socket"', true],
    ['textPayload:"Socket"', false],
    ['severity>=ERROR', false],
  ])('%s → %s on a JSON entry', (filter, expected) => {
    expect(matchesFilter(parseFilter(filter), jsonEntry)).toBe(expected);
  });

  it('matches time series by metric type and resource labels, as Monitoring filters do', () => {
    const series = {
      metric: { type: 'vpcaccess.googleapis.com/connector/cpu/utilizations', labels: {} },
      resource: { type: 'vpc_access_connector', labels: { connector_name: 'staging-connector' } },
    };
    const filter =
      'metric.type = "vpcaccess.googleapis.com/connector/cpu/utilizations" AND resource.labels.connector_name = "staging-connector"';
    expect(matchesFilter(parseFilter(filter), series)).toBe(true);
    expect(matchesFilter(parseFilter(filter.replace('staging-', 'prod-')), series)).toBe(false);
  });

  it('binds OR tighter than AND, as Cloud Logging does', () => {
    const tree = parseFilter(
      'severity>=ERROR AND resource.labels.service_name="auth" OR textPayload:"Socket"',
    );
    expect(tree).toMatchObject({ kind: 'and', items: [{ kind: 'cmp' }, { kind: 'or' }] });
  });

  it.each(['severity>=', '(severity=ERROR', 'textPayload:"unterminated', 'severity=ERROR)'])(
    'rejects the malformed filter %s',
    (filter) => {
      expect(() => parseFilter(filter)).toThrow();
    },
  );
});
