/**
 * The narrowest predefined role that grants each permission Warroom needs (the checks read, the
 * remediation updates Cloud Run services), so a permission-denied finding can say what to grant.
 */
const ROLES: Record<string, string> = {
  'vpcaccess.connectors.get': 'roles/vpcaccess.viewer',
  'vpcaccess.connectors.list': 'roles/vpcaccess.viewer',
  'cloudsql.instances.get': 'roles/cloudsql.viewer',
  'cloudsql.instances.list': 'roles/cloudsql.viewer',
  'run.services.get': 'roles/run.viewer',
  'run.services.list': 'roles/run.viewer',
  'run.revisions.get': 'roles/run.viewer',
  'run.revisions.list': 'roles/run.viewer',
  'run.services.update': 'roles/run.developer',
  'run.operations.get': 'roles/run.viewer',
  'logging.logEntries.list': 'roles/logging.viewer',
  'monitoring.timeSeries.list': 'roles/monitoring.viewer',
  'resourcemanager.projects.getIamPolicy': 'roles/iam.securityReviewer',
  'resourcemanager.projects.get': 'roles/browser',
  'compute.firewalls.list': 'roles/compute.networkViewer',
  'compute.subnetworks.get': 'roles/compute.networkViewer',
  // Drive has no IAM role: the folder must be shared with the service account (editor).
};

/** The predefined IAM role that grants `permission`, e.g. `roles/run.viewer`; undefined if unknown. */
export function requiredRoleFor(permission: string): string | undefined {
  return ROLES[permission];
}
