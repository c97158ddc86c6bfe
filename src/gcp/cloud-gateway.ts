import type { protos as runProtos } from '@google-cloud/run';
import type { protos as vpcProtos } from '@google-cloud/vpc-access';
import type { cloudresourcemanager_v3, compute_v1, logging_v2, monitoring_v3, sqladmin_v1 } from 'googleapis';

export type CloudRunService = runProtos.google.cloud.run.v2.IService;
export type CloudRunRevision = runProtos.google.cloud.run.v2.IRevision;
export type VpcConnector = vpcProtos.google.cloud.vpcaccess.v1.IConnector;
export type SqlInstance = sqladmin_v1.Schema$DatabaseInstance;
export type LogEntry = logging_v2.Schema$LogEntry;
export type TimeSeries = monitoring_v3.Schema$TimeSeries;
export type IamPolicy = cloudresourcemanager_v3.Schema$Policy;
export type Project = cloudresourcemanager_v3.Schema$Project;
export type Firewall = compute_v1.Schema$Firewall;
export type Subnetwork = compute_v1.Schema$Subnetwork;

/** A Cloud Run long-running operation as far as Warroom reads it. */
export interface CloudRunOperation {
  name: string;
  done: boolean;
  error?: { code: number; message: string };
}

/** Every call carries the check's deadline; an aborted call rejects with a GcpError of kind `timeout`. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface LogQuery {
  projectId: string;
  /** Cloud Logging filter language. */
  filter: string;
  pageSize: number;
  pageToken?: string;
}

export interface TimeSeriesQuery {
  projectId: string;
  /** Monitoring filter, e.g. `metric.type="vpcaccess.googleapis.com/connector/cpu/utilizations" AND …`. */
  filter: string;
  startTime: Date;
  endTime: Date;
}

/** A Google Doc in Drive, as Warroom links to it. */
export interface DriveDocument {
  id: string;
  webViewLink: string;
}

/**
 * The Google Drive calls of the postmortem draft (Drive v3): create a Google Doc from HTML in a
 * folder, replace its contents, find one by name in the folder.
 */
export interface DriveDocuments {
  /** `files.create` as one multipart upload: the metadata and the HTML, converted to a Google Doc. */
  createDocument(
    document: { name: string; folderId: string; html: string },
    options?: CallOptions,
  ): Promise<DriveDocument>;
  /** `files.update` with new media: the document's contents replaced in place, same id. */
  updateDocument(fileId: string, html: string, options?: CallOptions): Promise<DriveDocument>;
  /** `files.list`: the document named `name` in the folder, if any (to adopt one a crashed attempt created). */
  findDocument(folderId: string, name: string, options?: CallOptions): Promise<DriveDocument | undefined>;
}

/**
 * The Google Cloud calls Warroom makes, and only those. Production: the official clients with
 * Application Default Credentials. Tests and the demo: the same clients against the simulator
 * (GCP_EMULATOR_HOST). Failures reject with GcpError, never with a client library's own error.
 */
export interface CloudGateway extends DriveDocuments {
  getConnector(
    projectId: string,
    region: string,
    connector: string,
    options?: CallOptions,
  ): Promise<VpcConnector>;
  getSqlInstance(projectId: string, instance: string, options?: CallOptions): Promise<SqlInstance>;
  getService(
    projectId: string,
    region: string,
    service: string,
    options?: CallOptions,
  ): Promise<CloudRunService>;
  listRevisions(
    projectId: string,
    region: string,
    service: string,
    options?: CallOptions,
  ): Promise<CloudRunRevision[]>;
  /**
   * PATCH the service (Cloud Run Admin API v2 UpdateService). `service` carries its `name` and the
   * `etag` read with it; with validateOnly Google checks the request and changes nothing. Resolves
   * once Google accepted the request: it does not wait for the operation.
   */
  updateService(
    service: CloudRunService,
    options?: CallOptions & { validateOnly?: boolean },
  ): Promise<CloudRunOperation>;
  /** One look at an operation returned by updateService (no waiting, no polling). */
  getOperation(name: string, options?: CallOptions): Promise<CloudRunOperation>;
  listLogEntries(
    query: LogQuery,
    options?: CallOptions,
  ): Promise<{ entries: LogEntry[]; nextPageToken?: string }>;
  listTimeSeries(query: TimeSeriesQuery, options?: CallOptions): Promise<TimeSeries[]>;
  /** The project's own IAM policy (Resource Manager v3 `projects.getIamPolicy`), not inherited grants. */
  getProjectIamPolicy(projectId: string, options?: CallOptions): Promise<IamPolicy>;
  /** The project (Resource Manager v3 `projects.get`); its `name` is `projects/<number>`. */
  getProject(projectId: string, options?: CallOptions): Promise<Project>;
  /** Every VPC firewall rule of the project (Compute Engine v1 `firewalls.list`), all pages. */
  listFirewalls(projectId: string, options?: CallOptions): Promise<Firewall[]>;
  /** One subnetwork (Compute Engine v1 `subnetworks.get`): its `network` for a Direct VPC interface that names only the subnetwork. */
  getSubnetwork(
    projectId: string,
    region: string,
    subnetwork: string,
    options?: CallOptions,
  ): Promise<Subnetwork>;
}

export type GcpErrorKind =
  | 'permission-denied'
  | 'not-found'
  | 'unauthenticated'
  | 'rate-limited'
  | 'unavailable'
  | 'timeout'
  | 'malformed'
  | 'invalid-argument'
  /** 409 ABORTED or 412: the resource changed since it was read (etag); re-read and decide. */
  | 'conflict'
  | 'other';

/** A failed Google Cloud call, classified so a check can say why it could not run and what to fix. */
export class GcpError extends Error {
  constructor(
    message: string,
    readonly kind: GcpErrorKind,
    /** HTTP status when there was one. */
    readonly status?: number,
    /** The IAM permission Google named as missing, e.g. `vpcaccess.connectors.get`. */
    readonly permission?: string,
  ) {
    super(message);
    this.name = 'GcpError';
  }
}
