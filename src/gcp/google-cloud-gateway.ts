import type { protos as runProtos } from '@google-cloud/run';
import { classifyError } from './classify-error';
import {
  type CallOptions,
  type CloudGateway,
  type CloudRunOperation,
  type CloudRunRevision,
  type CloudRunService,
  type DriveDocument,
  type Firewall,
  GcpError,
  type GcpErrorKind,
  type IamPolicy,
  type LogEntry,
  type LogQuery,
  type Project,
  type SqlInstance,
  type Subnetwork,
  type TimeSeries,
  type TimeSeriesQuery,
  type VpcConnector,
} from './cloud-gateway';
import { createGoogleClients, type EmulatorAddress, type GoogleClients } from './google-clients';
import { expectList, expectObject } from './response-shape';
import { DEFAULT_RETRY, type RetryPolicy, withRetry } from './retry';

/** The pino methods the gateway uses; a pino logger fits, and tests can pass a recorder. */
export interface GatewayLogger {
  debug(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/**
 * Told how each call ended, retries included (metrics). `operation` is the gateway's description of
 * the call (`getService projects/…`): an observer that labels by it keeps only the method.
 */
export interface GoogleCallObserver {
  googleCall(call: { operation: string; seconds: number; error?: GcpErrorKind }): void;
}

export interface GoogleCloudGatewayOptions {
  /** The simulator or another emulator; absent in production (ADC, Google's endpoints). */
  emulator?: EmulatorAddress;
  logger?: GatewayLogger;
  /** Our own retries (the client libraries' are switched off). Default: 5 attempts, 200 ms base. */
  retry?: RetryPolicy;
  /** Bound on one HTTP attempt when no signal ends it sooner. Default 30 s. */
  attemptTimeoutMs?: number;
  observer?: GoogleCallObserver;
}

/** The fields Warroom reads off a `google.longrunning.Operation` (a `google.rpc.Status` for its error). */
function toOperation(raw: runProtos.google.longrunning.IOperation, operation: string): CloudRunOperation {
  if (!raw.name) throw new GcpError(`${operation}: the operation Google returned has no name`, 'malformed');
  // proto3 leaves a zero code out; an error without one is UNKNOWN (2) rather than OK.
  const error = raw.error
    ? { error: { code: Number(raw.error.code || 2), message: raw.error.message ?? '' } }
    : {};
  return { name: raw.name, done: raw.done === true, ...error };
}

/** How many revisions listRevisions returns (newest first): enough to see what changed lately. */
const REVISIONS_PAGE_SIZE = 50;
const GOOGLE_DOC = 'application/vnd.google-apps.document';

/** Drive's answer `{id, webViewLink}`; both are needed to link the document. */
function driveDocument(data: unknown, operation: string): DriveDocument {
  const file = expectObject((data ?? undefined) as object | undefined, operation) as Record<string, unknown>;
  if (typeof file.id !== 'string' || !file.id)
    throw new GcpError(`${operation}: the answer carried no file id`, 'malformed');
  // Shown as a link in Slack and on pages: only a plain http(s) URL is taken as one.
  const webViewLink =
    typeof file.webViewLink === 'string' && /^https?:\/\/[^\s<>|"']+$/.test(file.webViewLink)
      ? file.webViewLink
      : `https://docs.google.com/document/d/${encodeURIComponent(file.id)}/edit`;
  return { id: file.id, webViewLink };
}

/** Pages of time series listTimeSeries follows before it stops; a check's filter needs one. */
const MAX_TIME_SERIES_PAGES = 5;
/** Pages of firewall rules listFirewalls follows (500 rules each, Compute's largest page). */
const MAX_FIREWALL_PAGES = 10;

/**
 * The CloudGateway over Google's official clients. Every call: our retry policy (5xx, UNAVAILABLE
 * and network failures only, exponential backoff with jitter), the caller's signal as a hard
 * deadline, and failures classified into GcpError. The libraries' own retries are off — the
 * GAPIC calls pass `retry: null` and googleapis calls `retry: false` — so the number of requests
 * is `policy.attempts` at most.
 */
export class GoogleCloudGateway implements CloudGateway {
  private readonly retry: RetryPolicy;
  private readonly attemptTimeoutMs: number;
  private readonly logger: GatewayLogger | undefined;
  private readonly observer: GoogleCallObserver | undefined;

  constructor(
    private readonly clients: GoogleClients,
    options: Omit<GoogleCloudGatewayOptions, 'emulator'> = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    this.logger = options.logger;
    this.observer = options.observer;
  }

  /** Builds the clients once: ADC in production, a PassThroughClient against an emulator. */
  static create(options: GoogleCloudGatewayOptions = {}): GoogleCloudGateway {
    const attemptTimeoutMs = options.attemptTimeoutMs ?? 30_000;
    const clients = createGoogleClients({ emulator: options.emulator, attemptTimeoutMs });
    return new GoogleCloudGateway(clients, { ...options, attemptTimeoutMs });
  }

  /** Releases the clients' connections. */
  close(): Promise<void> {
    return this.clients.close();
  }

  getConnector(
    projectId: string,
    region: string,
    connector: string,
    options?: CallOptions,
  ): Promise<VpcConnector> {
    const name = `projects/${projectId}/locations/${region}/connectors/${connector}`;
    return this.call(`getConnector ${name}`, 'vpcaccess.connectors.get', options, async () => {
      // google-gax 5 (under @google-cloud/vpc-access) cannot cancel; raceAbort still returns on time.
      const client = await this.clients.connectors.ready();
      const [found] = await client.getConnector({ name }, this.gapicOptions());
      return found;
    });
  }

  getService(
    projectId: string,
    region: string,
    service: string,
    options?: CallOptions,
  ): Promise<CloudRunService> {
    const name = `projects/${projectId}/locations/${region}/services/${service}`;
    return this.call(`getService ${name}`, 'run.services.get', options, async (signal) => {
      const client = await this.clients.services.ready();
      const [found] = await client.getService({ name }, { ...this.gapicOptions(), signal });
      return found;
    });
  }

  listRevisions(
    projectId: string,
    region: string,
    service: string,
    options?: CallOptions,
  ): Promise<CloudRunRevision[]> {
    const parent = `projects/${projectId}/locations/${region}/services/${service}`;
    return this.call(`listRevisions ${parent}`, 'run.revisions.list', options, async (signal) => {
      // One page, newest first: bounded whatever the service's history.
      const client = await this.clients.revisions.ready();
      const [revisions] = await client.listRevisions(
        { parent, pageSize: REVISIONS_PAGE_SIZE },
        { ...this.gapicOptions(), signal, autoPaginate: false },
      );
      return revisions;
    });
  }

  updateService(
    service: CloudRunService,
    options?: CallOptions & { validateOnly?: boolean },
  ): Promise<CloudRunOperation> {
    const operation = `updateService ${service.name ?? '(no name)'}`;
    const validateOnly = options?.validateOnly === true;
    return this.call(operation, 'run.services.update', options, async (signal) => {
      if (!service.name) throw new GcpError(`${operation}: the service has no name`, 'invalid-argument');
      const client = await this.clients.services.ready();
      // An LROperation; its .promise() would poll until done, which the caller does itself.
      const [lro] = await client.updateService({ service, validateOnly }, { ...this.gapicOptions(), signal });
      return toOperation(lro.latestResponse, operation);
    });
  }

  getOperation(name: string, options?: CallOptions): Promise<CloudRunOperation> {
    const operation = `getOperation ${name}`;
    return this.call(operation, 'run.operations.get', options, async (signal) => {
      // The operations client, not checkUpdateServiceProgress: that one takes no call options, so it
      // would retry with the library's defaults and ignore the signal.
      const client = await this.clients.services.ready();
      // Typed as the generated request class; the client takes a plain object like every other call.
      const [raw] = await client.getOperation({ name } as runProtos.google.longrunning.GetOperationRequest, {
        ...this.gapicOptions(),
        signal,
      });
      return toOperation(raw, operation);
    });
  }

  getSqlInstance(projectId: string, instance: string, options?: CallOptions): Promise<SqlInstance> {
    const name = `projects/${projectId}/instances/${instance}`;
    return this.call(`getSqlInstance ${name}`, 'cloudsql.instances.get', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.sql.instances.get(
        { project: projectId, instance },
        this.apiOptions(signal),
      );
      return expectObject(res.data, `getSqlInstance ${name}`);
    });
  }

  listLogEntries(
    query: LogQuery,
    options?: CallOptions,
  ): Promise<{ entries: LogEntry[]; nextPageToken?: string }> {
    const operation = `listLogEntries projects/${query.projectId}`;
    return this.call(operation, 'logging.logEntries.list', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.logging.entries.list(
        {
          requestBody: {
            resourceNames: [`projects/${query.projectId}`],
            filter: query.filter,
            orderBy: 'timestamp desc',
            pageSize: query.pageSize,
            ...(query.pageToken ? { pageToken: query.pageToken } : {}),
          },
        },
        this.apiOptions(signal),
      );
      const data = expectObject(res.data, operation);
      const entries = expectList<LogEntry>(data.entries, operation);
      return data.nextPageToken ? { entries, nextPageToken: data.nextPageToken } : { entries };
    });
  }

  async listTimeSeries(query: TimeSeriesQuery, options?: CallOptions): Promise<TimeSeries[]> {
    const name = `projects/${query.projectId}`;
    const operation = `listTimeSeries ${name}`;
    const series: TimeSeries[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_TIME_SERIES_PAGES; page++) {
      const data = await this.call(operation, 'monitoring.timeSeries.list', options, async (signal) => {
        await this.clients.apiCredentials();
        const res = await this.clients.monitoring.projects.timeSeries.list(
          {
            name,
            filter: query.filter,
            'interval.startTime': query.startTime.toISOString(),
            'interval.endTime': query.endTime.toISOString(),
            ...(pageToken ? { pageToken } : {}),
          },
          this.apiOptions(signal),
        );
        return expectObject(res.data, operation);
      });
      series.push(...expectList<TimeSeries>(data.timeSeries, operation));
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    return series;
  }

  getProjectIamPolicy(projectId: string, options?: CallOptions): Promise<IamPolicy> {
    const operation = `getProjectIamPolicy projects/${projectId}`;
    return this.call(operation, 'resourcemanager.projects.getIamPolicy', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.resourceManager.projects.getIamPolicy(
        // Version 3 so conditional bindings come back whole instead of the call failing.
        { resource: `projects/${projectId}`, requestBody: { options: { requestedPolicyVersion: 3 } } },
        this.apiOptions(signal),
      );
      return expectObject(res.data, operation);
    });
  }

  getProject(projectId: string, options?: CallOptions): Promise<Project> {
    const operation = `getProject projects/${projectId}`;
    return this.call(operation, 'resourcemanager.projects.get', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.resourceManager.projects.get(
        { name: `projects/${projectId}` },
        this.apiOptions(signal),
      );
      return expectObject(res.data, operation);
    });
  }

  async listFirewalls(projectId: string, options?: CallOptions): Promise<Firewall[]> {
    const operation = `listFirewalls projects/${projectId}`;
    const rules: Firewall[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < MAX_FIREWALL_PAGES; page++) {
      const data = await this.call(operation, 'compute.firewalls.list', options, async (signal) => {
        await this.clients.apiCredentials();
        const res = await this.clients.compute.firewalls.list(
          { project: projectId, maxResults: 500, ...(pageToken ? { pageToken } : {}) },
          this.apiOptions(signal),
        );
        return expectObject(res.data, operation);
      });
      rules.push(...expectList<Firewall>(data.items, operation));
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    return rules;
  }

  getSubnetwork(
    projectId: string,
    region: string,
    subnetwork: string,
    options?: CallOptions,
  ): Promise<Subnetwork> {
    const operation = `getSubnetwork projects/${projectId}/regions/${region}/subnetworks/${subnetwork}`;
    return this.call(operation, 'compute.subnetworks.get', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.compute.subnetworks.get(
        { project: projectId, region, subnetwork },
        this.apiOptions(signal),
      );
      return expectObject(res.data, operation);
    });
  }

  /**
   * Drive v3 `files.create`, one multipart upload: the metadata and the HTML, which Drive converts
   * to a Google Doc. One attempt only: a POST retried after an answer that never came could
   * create a second document (the postmortem job looks for one before it tries again).
   */
  createDocument(
    document: { name: string; folderId: string; html: string },
    options?: CallOptions,
  ): Promise<DriveDocument> {
    const operation = `createDocument in folder ${document.folderId}`;
    return this.call(
      operation,
      'drive.files.create',
      options,
      async (signal) => {
        await this.clients.apiCredentials();
        const res = await this.clients.drive.files.create(
          {
            supportsAllDrives: true,
            fields: 'id,webViewLink',
            requestBody: {
              name: document.name,
              parents: [document.folderId],
              mimeType: GOOGLE_DOC,
            },
            media: { mimeType: 'text/html', body: document.html },
          },
          this.driveOptions(signal),
        );
        return driveDocument(res.data, operation);
      },
      { attempts: 1 },
    );
  }

  /** Drive v3 `files.update` with new media (uploadType=media): the same document, new contents. */
  updateDocument(fileId: string, html: string, options?: CallOptions): Promise<DriveDocument> {
    const operation = `updateDocument ${fileId}`;
    return this.call(operation, 'drive.files.update', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.drive.files.update(
        {
          fileId,
          supportsAllDrives: true,
          fields: 'id,webViewLink',
          media: { mimeType: 'text/html', body: html },
        },
        this.driveOptions(signal),
      );
      return driveDocument(res.data, operation);
    });
  }

  /** Drive v3 `files.list`: a document of this name in the folder, not in the trash. */
  findDocument(folderId: string, name: string, options?: CallOptions): Promise<DriveDocument | undefined> {
    const operation = `findDocument in folder ${folderId}`;
    const quoted = (text: string) => `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
    return this.call(operation, 'drive.files.list', options, async (signal) => {
      await this.clients.apiCredentials();
      const res = await this.clients.drive.files.list(
        {
          q: `name = ${quoted(name)} and ${quoted(folderId)} in parents and trashed = false`,
          fields: 'files(id,webViewLink)',
          pageSize: 1,
          supportsAllDrives: true,
          includeItemsFromAllDrives: true,
        },
        this.driveOptions(signal),
      );
      const [first] = expectList<unknown>(expectObject(res.data, operation).files ?? [], operation);
      return first === undefined ? undefined : driveDocument(first, operation);
    });
  }

  /** googleapis options for Drive: media uploads ignore the client's rootUrl, so each call names it. */
  private driveOptions(signal: AbortSignal) {
    return { ...this.apiOptions(signal), ...(this.clients.rootUrl ? { rootUrl: this.clients.rootUrl } : {}) };
  }

  /** GAPIC call options: one attempt per call (our retry loop decides), bounded in time. */
  private gapicOptions() {
    return { retry: null, timeout: this.attemptTimeoutMs };
  }

  /** googleapis method options: gaxios retries off, the attempt's signal, bounded in time. */
  private apiOptions(signal: AbortSignal) {
    return { retry: false, signal, timeout: this.attemptTimeoutMs };
  }

  private async call<T>(
    operation: string,
    permission: string,
    options: CallOptions | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
    override: { attempts?: number } = {},
  ): Promise<T> {
    const started = Date.now();
    try {
      const result = await withRetry(attempt, {
        policy: { ...this.retry, ...override },
        signal: options?.signal,
        operation,
        classify: (error) => classifyError(error, { operation, permission }),
        onRetry: (error, n, delayMs) =>
          this.logger?.warn(
            { operation, attempt: n, kind: error.kind, status: error.status, delayMs },
            'retrying Google Cloud call',
          ),
      });
      const ms = Date.now() - started;
      this.logger?.debug({ operation, ms }, 'Google Cloud call succeeded');
      this.observer?.googleCall({ operation, seconds: ms / 1000 });
      return result;
    } catch (error) {
      const failure = classifyError(error, { operation, permission });
      const ms = Date.now() - started;
      this.logger?.debug(
        { operation, kind: failure.kind, status: failure.status, ms },
        'Google Cloud call failed',
      );
      this.observer?.googleCall({ operation, seconds: ms / 1000, error: failure.kind });
      throw failure;
    }
  }
}
