import {
  REVISION_REASONS,
  type ReasonKind,
  type RevisionReasonName,
  reasonsInFinding,
} from './checks/revision-reasons';
import type { Signals } from './checks/signals';

/** Revision condition reasons the cloud-run check found, and the services that carry each. */
export interface ReasonGroup {
  reason: RevisionReasonName;
  services: string[];
}

export const describeConnector = (s: Signals) =>
  `\`gcloud compute networks vpc-access connectors describe ${s.connectorName ?? 'CONNECTOR'} --region=${s.region ?? 'REGION'} --project=${s.project ?? 'PROJECT'}\``;
export const describeSql = (s: Signals) =>
  `\`gcloud sql instances describe ${s.sqlInstance ?? 'INSTANCE'} --project=${s.project ?? 'PROJECT'}\``;

/** "2/2 services not ready (exit code 3), 649 connectivity errors" — or that nothing is visibly failing. */
export function symptomsText(s: Signals): string {
  const parts: string[] = [];
  if (s.servicesNotReady > 0) {
    const exit = s.startupExitCode === undefined ? '' : ` (exit code ${s.startupExitCode})`;
    parts.push(`${s.servicesNotReady}/${s.servicesTotal} services not ready${exit}`);
  }
  if (s.connectivityErrors > 0) parts.push(`${s.connectivityErrors} connectivity errors in the logs`);
  if (s.applicationErrors > 0) parts.push(`${s.applicationErrors} application errors in the logs`);
  if (s.failedRequests > 0) parts.push(`${s.failedRequests} failed requests`);
  if (s.rejectedRequests > 0)
    parts.push(`${s.rejectedRequests} requests rejected with "no available instance"`);
  if (s.startupFailures > 0) parts.push(`${s.startupFailures} start-up failures`);
  if (s.healthFailing > 0) parts.push(`${s.healthFailing} health endpoints failing`);
  if (s.dbPathFailed) parts.push('the database connect probe failed');
  return parts.length > 0 ? parts.join(', ') : 'no service symptoms seen yet';
}

export const connectorLabel = (s: Signals) =>
  s.connectorName ? `VPC connector ${s.connectorName}` : 'The VPC connector';
export const sqlLabel = (s: Signals) => (s.sqlInstance ? `Cloud SQL ${s.sqlInstance}` : 'Cloud SQL');
export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** "backend: CONTAINER_MISSING (the container image does not exist …)" per reason. */
export const reasonsText = (groups: readonly ReasonGroup[]): string =>
  groups
    .map(({ reason, services }) => `${services.join(', ')}: ${reason} (${REVISION_REASONS[reason].meaning})`)
    .join('; ');
export const reasonFixes = (groups: readonly ReasonGroup[]): string =>
  groups.map(({ reason }) => `${reason}: ${REVISION_REASONS[reason].fix}.`).join(' ');
export const rollBack = (s: Signals) =>
  `\`gcloud run services update-traffic SERVICE --to-revisions=REVISION=100 --region=${s.region ?? 'REGION'}\``;

export function sqlNextStep(s: Signals): string {
  const name = s.sqlInstance ?? 'INSTANCE';
  const project = s.project ?? 'PROJECT';
  if (s.sqlState === 'NOT_FOUND')
    return `Check the instance name in the configuration and whether ${name} was deleted (\`gcloud sql instances list --project=${project}\`).`;
  if (s.sqlActivationPolicy && s.sqlActivationPolicy !== 'ALWAYS')
    return `Start the instance: \`gcloud sql instances patch ${name} --activation-policy=ALWAYS --project=${project}\`.`;
  if (s.sqlState === 'MAINTENANCE')
    return `Wait for maintenance to finish (\`gcloud sql operations list --instance=${name} --project=${project}\`), then move the maintenance window out of busy hours.`;
  if (s.sqlState === 'SUSPENDED')
    return `Find why it was suspended (billing or policy) with ${describeSql(s)}.`;
  return `Inspect it with ${describeSql(s)}; open a Google Cloud support case if it stays ${s.sqlState} without a change on your side.`;
}

/** The explained condition reasons of this kind the cloud-run check found, grouped by reason, in table order. */
export function revisionReasons(s: Signals, kind: ReasonKind): ReasonGroup[] {
  const found = reasonsInFinding(s.byCheck['cloud-run']).filter(
    ({ reason }) => REVISION_REASONS[reason].kind === kind,
  );
  return (Object.keys(REVISION_REASONS) as RevisionReasonName[])
    .map((reason) => ({ reason, services: found.filter((f) => f.reason === reason).map((f) => f.service) }))
    .filter((group) => group.services.length > 0);
}
