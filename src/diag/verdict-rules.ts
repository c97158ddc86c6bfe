import { capacityFigures, capacityNextStep, servicesAtCapacity } from './checks/service-capacity';
import type { Signals } from './checks/signals';
import type { CheckName } from './finding';
import { explainFirewall, explainRoute, explainSqlIam } from './path-wording';
import {
  connectorLabel,
  describeConnector,
  plural,
  reasonFixes,
  reasonsText,
  revisionReasons,
  rollBack,
  sqlLabel,
  sqlNextStep,
  symptomsText,
} from './verdict-wording';

export const VERDICT_CODES = [
  'vpc-connector-down',
  'vpc-connector-saturated',
  'cloud-run-capacity',
  'network-mismatch',
  'firewall-blocked',
  'sql-iam-denied',
  'cloud-sql-unavailable',
  'cloud-sql-connections-exhausted',
  'application-error',
  'restart-needed',
  'no-fault-found',
  'inconclusive',
] as const;
export type VerdictCode = (typeof VERDICT_CODES)[number];

/** One row of the verdict table. Rules are tried in order; the first whose `when` holds decides. */
export interface VerdictRule {
  /** Unique; several rows may share the `inconclusive` code. */
  id: string;
  code: VerdictCode;
  /** Checks whose summaries are quoted as evidence. */
  restsOn: readonly CheckName[];
  when(signals: Signals): boolean;
  explain(signals: Signals): { title: string; explanation: string; nextStep: string };
}

/** Connectivity errors at most this share of application errors do not make it a network problem. */
export const CONNECTIVITY_NOISE_RATIO = 0.1;
const SQL_EXHAUSTED_RATIO = 0.9;

const INFRA: readonly CheckName[] = ['vpc-connector', 'cloud-sql', 'network'];
const SYMPTOMS: readonly CheckName[] = ['cloud-run', 'logs', 'health', 'database'];

const listChecks = (s: Signals, status: 'fail' | 'warn') =>
  (Object.keys(s.status) as CheckName[]).filter((check) => s.status[check] === status).join(', ');

/** The services the Cloud Run check found not ready, from its `ready:<name>` evidence. */
const notReadyServices = (s: Signals): string[] =>
  Object.entries(s.byCheck['cloud-run']?.evidence ?? {})
    .filter(([key, value]) => key.startsWith('ready:') && value === false)
    .map(([key]) => key.slice('ready:'.length));
const infraClear = (s: Signals) => INFRA.every((c) => ['ok', 'warn', 'skipped'].includes(s.status[c]));
/**
 * Checks that could not run and could have named the fault. The firewall decides only while
 * something fails to connect now; the IAM policy only when services on a Cloud SQL connection fail.
 * Any other check could always decide.
 */
export function decisiveUnknown(s: Signals): CheckName[] {
  const connectingNow = (s.connectivityErrorsRecent ?? s.connectivityErrors) > 0 || s.dbPathFailed;
  return s.unknown.filter((check) => {
    if (check === 'firewall') return connectingNow;
    if (check === 'iam') return s.servicesFailing && s.sqlIamNeeded && s.sqlNotAuthorized === 0;
    return true;
  });
}
const sqlDown = (s: Signals) =>
  (s.sqlState !== undefined && s.sqlState !== 'RUNNABLE') ||
  (s.sqlActivationPolicy !== undefined && s.sqlActivationPolicy !== 'ALWAYS');

/** The verdict table, in precedence order: direct evidence about infrastructure first, then the application, then honesty about what is missing. */
export const VERDICT_RULES: readonly VerdictRule[] = [
  {
    id: 'connector-down',
    code: 'vpc-connector-down',
    restsOn: ['vpc-connector', ...SYMPTOMS],
    when: (s) => s.connectorState !== undefined && s.connectorState !== 'READY',
    explain: (s) => {
      const gone = s.connectorState === 'NOT_FOUND';
      const busy = ['CREATING', 'UPDATING', 'DELETING'].includes(s.connectorState ?? '');
      return {
        title: `${connectorLabel(s)} ${gone ? 'does not exist' : `is ${s.connectorState}`}`,
        explanation: `Cloud Run reaches the Cloud SQL private IP only through this connector, and ${gone ? 'it does not exist' : `it is ${s.connectorState}, not READY`}: ${symptomsText(s)}.`,
        nextStep: busy
          ? `An operation is in progress: follow it with ${describeConnector(s)}; a restart is unlikely to help until it is READY.`
          : `Recreate or redeploy the connector (${describeConnector(s)} shows its state); a restart of the services is unlikely to help while the connector is down. Open a Google Cloud support case if a regional problem is suspected.`,
      };
    },
  },
  {
    id: 'route-mismatch',
    code: 'network-mismatch',
    restsOn: ['network', 'cloud-run', 'vpc-connector', 'cloud-sql'],
    when: (s) =>
      s.networkMismatch || s.regionMismatch || s.servicesWrongConnector > 0 || s.privateOnlyNoRoute > 0,
    explain: explainRoute,
  },
  {
    id: 'sql-unavailable',
    code: 'cloud-sql-unavailable',
    restsOn: ['cloud-sql', ...SYMPTOMS],
    when: sqlDown,
    explain: (s) => ({
      title: `${sqlLabel(s)} is not available (${s.sqlState === 'RUNNABLE' ? `activation ${s.sqlActivationPolicy}` : s.sqlState})`,
      explanation: `The database is not serving: state ${s.sqlState ?? 'not reported'}, activation policy ${s.sqlActivationPolicy ?? 'not reported'}. ${symptomsText(s)}.`,
      nextStep: sqlNextStep(s),
    }),
  },
  {
    // After the route and the instance: a rule only matters once traffic could otherwise arrive.
    id: 'firewall-rule',
    code: 'firewall-blocked',
    restsOn: ['firewall', 'network', 'vpc-connector', 'logs', 'database'],
    when: (s) => s.firewallBlocked,
    explain: explainFirewall,
  },
  {
    id: 'sql-not-authorized',
    code: 'sql-iam-denied',
    restsOn: ['iam', 'logs', 'cloud-run', 'cloud-sql'],
    when: (s) => s.sqlNotAuthorized > 0 || (s.sqlIamMissing > 0 && s.sqlIamNeeded),
    explain: explainSqlIam,
  },
  {
    id: 'sql-exhausted',
    code: 'cloud-sql-connections-exhausted',
    restsOn: ['cloud-sql', 'logs', 'database'],
    when: (s) => (s.sqlConnectionRatio ?? 0) >= SQL_EXHAUSTED_RATIO || s.tooManyClients > 0,
    explain: (s) => ({
      title: `${sqlLabel(s)} is out of connections`,
      explanation: `${s.sqlConnectionRatio !== undefined ? `Connection use peaked at ${Math.round(s.sqlConnectionRatio * 100)} % of max_connections. ` : ''}${s.tooManyClients > 0 ? `PostgreSQL refused ${s.tooManyClients} connections with "too many clients". ` : ''}New connections are refused or queue: ${symptomsText(s)}.`,
      nextStep: `Find who holds the connections (\`SELECT usename, application_name, count(*) FROM pg_stat_activity GROUP BY 1, 2\`), cap pool size × max instances per service below max_connections, or raise max_connections (\`gcloud sql instances patch ${s.sqlInstance ?? 'INSTANCE'} --database-flags=max_connections=N\` restarts the instance and replaces the other flags: list them too).`,
    }),
  },
  {
    id: 'connector-saturated',
    code: 'vpc-connector-saturated',
    restsOn: ['vpc-connector', 'logs', 'cloud-run'],
    when: (s) => s.connectorSaturated || (s.connectorAtMax && s.connectivitySymptom),
    explain: (s) => ({
      title: `${connectorLabel(s)} is saturated`,
      explanation: `The connector is ${s.connectorAtMax ? 'at its maximum instance count' : 'running hot'}${s.connectorSaturated ? ' with high CPU' : ''} and cannot take more connections quickly: ${symptomsText(s)}.`,
      nextStep: `Raise max instances or the machine type (\`gcloud compute networks vpc-access connectors update ${s.connectorName ?? 'CONNECTOR'} --region=${s.region ?? 'REGION'} --max-instances=N\`), or move the services to Direct VPC egress; then redeploy the services. Alert on connector instances and CPU so this is seen before users see it.`,
    }),
  },
  {
    // After every infrastructure row: a slow or failing dependency holds requests longer, so a
    // service runs out of instances as a consequence; then the dependency is the fault to fix.
    id: 'instance-limit',
    code: 'cloud-run-capacity',
    restsOn: ['logs', 'cloud-run', ...INFRA],
    when: (s) => (s.rejectedRequests > 0 || s.servicesAtMaxInstances > 0) && infraClear(s) && !s.dbPathFailed,
    explain: (s) => {
      const full = servicesAtCapacity(s.byCheck.logs);
      const who = full.map((c) => c.service).join(', ') || 'The services';
      return {
        title: `${who} hit ${full.length === 1 ? 'its' : 'their'} Cloud Run instance limit`,
        explanation: `Cloud Run cannot start more instances and turns requests away with "no available instance", while the connector, Cloud SQL and the route are healthy: ${full.map(capacityFigures).join('; ') || symptomsText(s)}.`,
        nextStep: capacityNextStep(full, s.region ?? 'REGION'),
      };
    },
  },
  {
    // Cloud Run refused the revision before any container ran (image, pull permission, policy,
    // secrets): no network state produces these, so they decide even without log errors.
    id: 'revision-refused',
    code: 'application-error',
    restsOn: ['cloud-run', ...INFRA],
    when: (s) => revisionReasons(s, 'deploy').length > 0,
    explain: (s) => {
      const groups = revisionReasons(s, 'deploy');
      return {
        title: `Application error: Cloud Run refused the new revision (${groups.map((g) => g.reason).join(', ')})`,
        explanation: `The deployment is at fault, not the infrastructure: ${reasonsText(groups)}. No container of that revision ran, so the connector, Cloud SQL and the route play no part: ${symptomsText(s)}.`,
        nextStep: `${reasonFixes(groups)} Until then keep or send traffic to the last ready revision (${rollBack(s)}).`,
      };
    },
  },
  {
    // A failed start-up health check is what the staging outage looked like when the database was
    // unreachable, so it is the application's only with the path clear and a deploy to blame.
    id: 'revision-unhealthy',
    code: 'application-error',
    restsOn: ['cloud-run', 'logs', ...INFRA],
    when: (s) =>
      revisionReasons(s, 'start-up').length > 0 &&
      s.recentRevisions > 0 &&
      !s.connectivitySymptom &&
      infraClear(s),
    explain: (s) => {
      const groups = revisionReasons(s, 'start-up');
      return {
        title: `Application error: the new revision fails its health check (${groups.map((g) => g.reason).join(', ')})`,
        explanation: `${reasonsText(groups)}. The connector${s.connectorState ? ` is ${s.connectorState}` : ' is not used'}, Cloud SQL is ${s.sqlState ?? 'as checked'}, the route is consistent and nothing failed to connect, while ${plural(s.recentRevisions, 'service')} got a new revision in the last hour: a regression is likely (${symptomsText(s)}).`,
        nextStep: `${reasonFixes(groups)} Roll back with ${rollBack(s)}.`,
      };
    },
  },
  {
    id: 'application',
    code: 'application-error',
    restsOn: ['logs', 'cloud-run', ...INFRA],
    // Needs a visible failure (or a failing error rate): a couple of background errors are not an outage.
    when: (s) =>
      s.applicationErrors > 0 &&
      (s.servicesFailing || s.status.logs === 'fail') &&
      s.connectivityErrors <= s.applicationErrors * CONNECTIVITY_NOISE_RATIO &&
      infraClear(s) &&
      !s.dbPathFailed,
    explain: (s) => ({
      title: 'Application error, not infrastructure',
      explanation: `The connector${s.connectorState ? ` is ${s.connectorState}` : ' is not used'}, Cloud SQL is ${s.sqlState ?? 'as checked'} and the route is consistent, while the logs show ${s.applicationErrors} application errors against ${s.connectivityErrors} connectivity errors.${s.recentRevisions > 0 ? ` ${plural(s.recentRevisions, 'service')} got a new revision in the last hour: a regression is likely.` : ''}`,
      nextStep: `Read the top errors in the logs thread, then roll back to the last good revision if a deploy preceded them (\`gcloud run services update-traffic SERVICE --to-revisions=REVISION=100 --region=${s.region ?? 'REGION'}\`); changing the infrastructure is unlikely to help.`,
    }),
  },
  {
    // The policy lacks the role where no Cloud SQL connection shows it is needed (a connector
    // library inside the application needs it too): it explains services that fail on a clear path.
    id: 'sql-iam-missing',
    code: 'sql-iam-denied',
    restsOn: ['iam', 'cloud-run', 'logs', ...INFRA],
    when: (s) => s.sqlIamMissing > 0 && s.servicesFailing && infraClear(s) && !s.connectivitySymptom,
    explain: explainSqlIam,
  },
  {
    id: 'could-not-check',
    code: 'inconclusive',
    restsOn: [...INFRA, ...SYMPTOMS],
    when: (s) => decisiveUnknown(s).length > 0 || s.absent.length > 0,
    explain: (s) => ({
      title: 'Inconclusive: some checks could not run',
      explanation: `Could not check ${[...decisiveUnknown(s), ...s.absent].join(', ')}, and nothing that did run names the fault: ${symptomsText(s)}.`,
      nextStep:
        'Fix what is listed under what could not be checked (a missing role, an unset variable) or, for a timeout or an unavailable API, just run the diagnosis again; meanwhile check those parts by hand.',
    }),
  },
  {
    id: 'down-after-recovery',
    code: 'restart-needed',
    restsOn: ['cloud-run', ...INFRA, 'logs'],
    // Infrastructure is healthy now (metrics read) and connectivity errors stopped more than 10
    // minutes ago, yet services still fail where they exited at start-up: a revision that failed
    // to start stays failed until it is deployed again.
    when: (s) =>
      s.servicesNotReady > 0 &&
      s.startupExitCode !== undefined &&
      s.connectivityErrorsRecent === 0 &&
      s.recentRevisions === 0 &&
      infraClear(s) &&
      s.connectorMetrics !== false &&
      !s.dbPathFailed,
    explain: (s) => {
      const down = notReadyServices(s);
      return {
        title: 'Infrastructure has recovered, but the services are still down: restart them',
        explanation: `The connector is ${s.connectorState ?? 'not used'}, Cloud SQL is ${s.sqlState ?? 'as checked'} and the route is consistent, yet ${down.length > 0 ? down.join(', ') : `${s.servicesNotReady} services`} ${down.length === 1 ? 'is' : 'are'} not ready: the latest revision exited during start-up (exit code ${s.startupExitCode})${s.connectivityErrors > 0 ? ` ; the logs hold ${s.connectivityErrors} connectivity errors, none in the last 10 minutes` : ''}. They most likely crashed while a dependency was unavailable; Cloud Run does not start a failed revision again on its own.`,
        nextStep: `Restart each service that is not ready with \`/incident restart <env> <service>\` (${down.join(', ') || 'see the thread'}): a new revision with the same configuration. Then \`/incident verify <env>\`; if the new revision fails too, run the diagnosis again.`,
      };
    },
  },
  {
    id: 'connectivity-unexplained',
    code: 'inconclusive',
    restsOn: ['logs', 'database', ...INFRA],
    when: (s) => s.connectivitySymptom,
    explain: (s) => {
      const blind = [
        s.connectorMetrics === false ? 'connector instances and CPU' : undefined,
        s.sqlMetrics === false ? 'Cloud SQL connection use' : undefined,
      ].filter(Boolean);
      return {
        title: 'Inconclusive: connectivity errors, infrastructure looks healthy',
        explanation: `${symptomsText(s)}, yet the connector is ${s.connectorState ?? 'not used'}, Cloud SQL is ${s.sqlState ?? 'unchecked'} and the route is consistent. ${blind.length > 0 ? `Without metrics for ${blind.join(' and ')}, saturation cannot be ruled out.` : 'The metrics that were read show headroom, so the fault is likely on the path between them (regional networking) or in a dependency outside this environment.'}`,
        nextStep:
          blind.length > 0
            ? `Grant roles/monitoring.viewer to Warroom and run the diagnosis again; meanwhile read the connector's graphs (${describeConnector(s)}) and the instance's connections in the console.`
            : `Check which host the connectivity errors name (top messages in the logs thread); if it is the Cloud SQL private IP, open a Google Cloud support case (regional networking suspected) quoting the connector, the instance and the error counts. A restart is unlikely to help.`,
      };
    },
  },
  {
    id: 'failures-unexplained',
    code: 'inconclusive',
    restsOn: [...INFRA, ...SYMPTOMS],
    when: (s) => Object.values(s.status).includes('fail'),
    explain: (s) => ({
      title: 'Inconclusive: checks failed, no rule names the fault',
      explanation: `${listChecks(s, 'fail')} failed without pointing at one component: ${symptomsText(s)}.`,
      nextStep: `Read the failing checks in the thread; inspect the failing services (\`gcloud run services describe SERVICE --region=${s.region ?? 'REGION'}\`) and their logs.`,
    }),
  },
  {
    id: 'warnings-only',
    code: 'inconclusive',
    restsOn: [...INFRA, ...SYMPTOMS],
    when: (s) => Object.values(s.status).includes('warn'),
    explain: (s) => ({
      title: 'No check failed, some warned',
      explanation: `Nothing is down, but ${listChecks(s, 'warn')} warned: ${symptomsText(s)}.`,
      nextStep:
        'Read the warnings in the thread and run the diagnosis again if users report errors or the warnings grow.',
    }),
  },
  {
    id: 'healthy',
    code: 'no-fault-found',
    restsOn: [...INFRA, ...SYMPTOMS],
    // A check that could not run and could not have decided (decisiveUnknown) is listed as missing.
    when: (s) =>
      Object.values(s.status).every(
        (status) => status === 'ok' || status === 'skipped' || status === 'unknown',
      ),
    explain: () => ({
      title: 'No fault found',
      explanation:
        'Every check that applies passed: the route to Cloud SQL (connector or Direct VPC), the instance, the firewall, the services, their logs and health endpoints.',
      nextStep:
        'If users still see errors, describe what fails (URL, time) and check the path outside this environment (DNS, load balancer, client).',
    }),
  },
];
