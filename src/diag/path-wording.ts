import { type Signals, signalNumber, signalString } from './checks/signals';
import { describeSql, plural, sqlLabel, symptomsText } from './verdict-wording';

/** The roles that grant `cloudsql.instances.connect` and `.get` at project level. */
export const SQL_CONNECT_ROLES = [
  'roles/cloudsql.client',
  'roles/cloudsql.admin',
  'roles/cloudsql.editor',
  'roles/editor',
  'roles/owner',
] as const;

/** The range Serverless VPC Access connectors are reached from; Shared VPC needs an ingress allow for it. */
export const SERVERLESS_RANGE = '35.199.224.0/19';

const split = (list: string | undefined) => (list ? list.split(',').filter(Boolean) : []);

/** A firewall rule denies the path, or the Shared VPC ingress allow is missing. */
export function explainFirewall(s: Signals) {
  const fw = s.byCheck.firewall;
  const rule = signalString(fw, 'firewallRule');
  const priority = signalNumber(fw, 'firewallPriority');
  const covers = signalString(fw, 'firewallCovers') ?? 'the path to the Cloud SQL private IP';
  const fix = signalString(fw, 'firewallFix');
  const route = s.connectorState ? `the connector is ${s.connectorState}` : 'Direct VPC egress is configured';
  if (rule) {
    return {
      title: `Firewall rule ${rule} (priority ${priority ?? '?'}) blocks the path to Cloud SQL`,
      explanation: `${rule} denies ${covers}, and no allow rule with a higher priority (a lower number) covers the same, while ${route} and the networks match: ${symptomsText(s)}.`,
      nextStep: `${fix ? `${fix}` : `Disable ${rule} or add an allow rule with a lower priority number for the Cloud SQL port.`} A restart of the services does not help until the path is open.`,
    };
  }
  return {
    title: `The firewall lacks the ingress allow from ${SERVERLESS_RANGE} that the connector needs`,
    explanation: `The connector's network is a Shared VPC, where Serverless VPC Access needs an ingress allow from ${SERVERLESS_RANGE} to the connector's instances, and no enabled rule covers ${covers}: ${symptomsText(s)}.`,
    nextStep: `${fix ?? `Create the ingress allow from ${SERVERLESS_RANGE} to target tag vpc-connector in the host project.`} A restart of the services does not help until the path is open.`,
  };
}

/** The runtime service accounts to grant the Cloud SQL Client role: those the policy lacks, else those the services run as. */
function accountsToGrant(s: Signals): string[] {
  const lacking = split(signalString(s.byCheck.iam, 'sqlIamAccounts'));
  if (lacking.length > 0) return lacking;
  const running = split(signalString(s.byCheck['cloud-run'], 'runtimeAccounts'));
  return running.length > 0 ? running : ['SERVICE_ACCOUNT'];
}

/** The services' runtime account may not connect to Cloud SQL. */
export function explainSqlIam(s: Signals) {
  const accounts = accountsToGrant(s);
  const project = s.project ?? 'PROJECT';
  const logged =
    s.sqlNotAuthorized > 0
      ? `The Cloud SQL connector or Auth Proxy logged ${plural(s.sqlNotAuthorized, 'refusal')} (NOT_AUTHORIZED or a missing cloudsql.instances.connect/get permission). `
      : '';
  const policy =
    s.sqlIamMissing > 0
      ? `The project's IAM policy grants ${accounts.join(', ')} none of ${SQL_CONNECT_ROLES.join(', ')}${s.sqlIamNeeded ? ', and the services connect through a Cloud SQL connection, which checks cloudsql.instances.connect' : ''}. `
      : '';
  const lines = accounts.map(
    (account) =>
      `\`gcloud projects add-iam-policy-binding ${project} --member=serviceAccount:${account} --role=roles/cloudsql.client\``,
  );
  return {
    title: `The services' service account may not connect to ${s.sqlInstance ? `Cloud SQL ${s.sqlInstance}` : 'Cloud SQL'}`,
    explanation: `${logged}${policy}${s.sqlNotAuthorized === 0 && !s.sqlIamNeeded ? 'No service mounts a Cloud SQL volume, so the role matters if the application connects through a Cloud SQL connector library, which checks it too; the services fail while the path checks out. ' : ''}The network path is not at fault: ${symptomsText(s)}.`,
    nextStep: `Grant the Cloud SQL Client role: ${lines.join(' and ')}; then restart the services that failed (\`/incident restart <env> <service>\`). A grant on a folder or the organisation does not show in the project's policy: if one exists, look for an IAM deny policy or a condition that excludes it.`,
  };
}

/** A network as the network check stored it ("project/name"), shown by name. */
function networkName(s: Signals, key: 'routeNetwork' | 'sqlNetwork'): string | undefined {
  const value = s.byCheck.network?.evidence[key];
  return typeof value === 'string' ? value.split('/').pop() : undefined;
}

/** The route from Cloud Run to Cloud SQL is misconfigured: which part, and the command that fixes it. */
export function explainRoute(s: Signals) {
  const region = s.region ?? 'REGION';
  const sqlNet = networkName(s, 'sqlNetwork') ?? 'NETWORK';
  const routeNet = networkName(s, 'routeNetwork');
  const direct = !s.connectorName;
  const onlyStranded = s.privateOnlyNoRoute > 0 && !s.networkMismatch && s.servicesWrongConnector === 0;
  const parts = [
    s.privateOnlyNoRoute > 0
      ? `The instance has no public IP (ipv4Enabled false), and ${plural(s.privateOnlyNoRoute, 'service')} connect${s.privateOnlyNoRoute === 1 ? 's' : ''} through a Cloud SQL connection with neither a connector nor Direct VPC egress: the connection cannot reach the private IP. This is a network problem, not a credential one.`
      : '',
    s.servicesWrongConnector > 0
      ? `${s.servicesWrongConnector} services do not use the configured connector.`
      : '',
    s.networkMismatch
      ? `${direct ? 'Direct VPC egress' : `Connector ${s.connectorName}`} is on ${routeNet ?? 'another network'}, while Cloud SQL's private IP is on ${sqlNet}.`
      : '',
    s.regionMismatch ? 'A service and its connector are in different regions.' : '',
  ].filter(Boolean);
  const directFix = `\`gcloud run services update SERVICE --network=${sqlNet} --subnet=SUBNET --vpc-egress=private-ranges-only --region=${region}\``;
  const nextStep = onlyStranded
    ? `Give the services a VPC route on ${sqlNet}: Direct VPC egress (${directFix}) or a connector (\`--vpc-connector=CONNECTOR\`); or give the instance a public IP (\`gcloud sql instances patch ${s.sqlInstance ?? 'INSTANCE'} --assign-ip --project=${s.project ?? 'PROJECT'}\`). A restart will not help.`
    : direct
      ? `Redeploy each service with its network interface on Cloud SQL's network (${directFix}), or move the instance's private IP; a restart will not help.`
      : `Point every service at ${s.connectorName} (\`gcloud run services update SERVICE --vpc-connector=${s.connectorName} --region=${region}\`) or put the route on Cloud SQL's network (${describeSql(s)} shows it); a restart will not help.`;
  return {
    title: onlyStranded
      ? `${sqlLabel(s)} has only a private IP, and ${plural(s.privateOnlyNoRoute, 'service')} ${s.privateOnlyNoRoute === 1 ? 'has' : 'have'} no VPC route to it`
      : 'The route from Cloud Run to Cloud SQL is misconfigured',
    explanation: `${parts.join(' ')} Traffic to the private IP cannot arrive: ${symptomsText(s)}.`,
    nextStep,
  };
}
