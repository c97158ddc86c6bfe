import { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { VpcAccessServiceClient } from '@google-cloud/vpc-access';
import { type AuthClient, GoogleAuth, PassThroughClient } from 'google-auth-library';
// Per-API entry points: loading the `googleapis` index would load all of its ~300 APIs (~4 s).
import { cloudresourcemanager_v3 } from 'googleapis/build/src/apis/cloudresourcemanager/v3';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1';
import { drive_v3 } from 'googleapis/build/src/apis/drive/v3';
import { logging_v2 } from 'googleapis/build/src/apis/logging/v2';
import { monitoring_v3 } from 'googleapis/build/src/apis/monitoring/v3';
import { sqladmin_v1 } from 'googleapis/build/src/apis/sqladmin/v1';

/** Where the simulator (or another emulator) listens; from GCP_EMULATOR_HOST=host:port. */
export interface EmulatorAddress {
  host: string;
  port: number;
}

/** Application Default Credentials could not be found or used; `cause` says why. */
export class CredentialsUnavailable extends Error {
  constructor(cause: unknown) {
    super(
      cause instanceof Error || (typeof cause === 'object' && cause !== null && 'message' in cause)
        ? String((cause as Error).message)
        : String(cause),
    );
    this.name = 'CredentialsUnavailable';
  }
}

/**
 * A GAPIC client, initialised before every use. The generated methods start initialisation
 * themselves as `initialize().catch(err => { throw err })`: if credentials cannot be loaded,
 * that is an unhandled rejection, which ends a Node process. Awaiting `initialize()` first turns
 * it into an ordinary rejection; a client whose initialisation failed keeps failing, so it is
 * dropped and built anew on the next call (e.g. once the metadata server answers again).
 */
export class GapicClient<C extends { initialize(): Promise<unknown>; close(): Promise<void> }> {
  private client: C | undefined;

  constructor(private readonly build: () => C) {}

  async ready(): Promise<C> {
    this.client ??= this.build();
    const client = this.client;
    try {
      await client.initialize();
      return client;
    } catch (error) {
      if (this.client === client) this.client = undefined;
      client.close().catch(() => {}); // its stub never existed; nothing to release
      // With the REST transport, initialisation only loads credentials and builds the stub.
      throw new CredentialsUnavailable(error);
    }
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => {});
  }
}

/** The official clients the gateway uses, built once per process. */
export interface GoogleClients {
  services: GapicClient<ServicesClient>;
  revisions: GapicClient<RevisionsClient>;
  connectors: GapicClient<VpcAccessServiceClient>;
  sql: sqladmin_v1.Sqladmin;
  logging: logging_v2.Logging;
  monitoring: monitoring_v3.Monitoring;
  resourceManager: cloudresourcemanager_v3.Cloudresourcemanager;
  compute: compute_v1.Compute;
  drive: drive_v3.Drive;
  /**
   * The root URL every googleapis call must name itself: googleapis applies a client's `rootUrl`
   * to ordinary calls but not to media uploads (Drive's `upload/…` paths). Absent: Google's.
   */
  rootUrl?: string;
  /** Resolves once the googleapis clients have credentials (at once with an emulator). */
  apiCredentials(): Promise<void>;
  close(): Promise<void>;
}

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
/** Drive access to the files Warroom creates (and the folders shared with its account). */
export const DRIVE_FILE_SCOPE = 'https://www.googleapis.com/auth/drive.file';

/**
 * Builds the clients. Production: Application Default Credentials and Google's endpoints.
 * Emulator: the same clients over plain HTTP to `host:port` with a PassThroughClient, which adds
 * no credentials and never asks the metadata server or a key file for any.
 *
 * Both modes use the GAPIC clients' REST transport (`fallback: true`), so production speaks the
 * protocol the tests exercise, and every auth client's HTTP transport times out after
 * `attemptTimeoutMs`: @google-cloud/vpc-access still runs google-gax 5, whose REST transport
 * ignores call deadlines and cannot be cancelled, so this is what bounds a request that hangs.
 */
export function createGoogleClients(options: {
  emulator?: EmulatorAddress;
  attemptTimeoutMs: number;
}): GoogleClients {
  const { emulator, attemptTimeoutMs } = options;
  // Node's own fetch instead of the node-fetch that gaxios would `import()` lazily: that dynamic
  // import fails inside Jest's VM and under other CommonJS sandboxes, and Node 20's fetch honours
  // abort signals natively. (It ignores HTTPS_PROXY; Warroom runs without a forward proxy.)
  const transporterOptions = { timeout: attemptTimeoutMs, fetchImplementation: fetch };
  // One auth client per GAPIC client: each sets its own default service path and scopes on it.
  const newAuth = (): AuthClient | GoogleAuth =>
    emulator
      ? new PassThroughClient({ transporterOptions })
      : new GoogleAuth({ scopes: [CLOUD_PLATFORM], clientOptions: { transporterOptions } });
  const gapic = () =>
    emulator
      ? {
          fallback: true,
          apiEndpoint: emulator.host,
          port: emulator.port,
          protocol: 'http',
          authClient: newAuth(),
        }
      : { fallback: true, auth: newAuth() };

  // The GAPIC option types come from each library's own copy of google-auth-library; the
  // instances are compatible at run time (duck-typed), only the nominal types differ.
  // biome-ignore lint/suspicious/noExplicitAny: see above; the options are checked by the libraries.
  const services = new GapicClient(() => new ServicesClient(gapic() as any));
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const revisions = new GapicClient(() => new RevisionsClient(gapic() as any));
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  const connectors = new GapicClient(() => new VpcAccessServiceClient(gapic() as any));

  const apiAuth = newAuth();
  const rootUrl = emulator ? `http://${emulator.host}:${emulator.port}/` : undefined;
  const apiOptions = {
    // biome-ignore lint/suspicious/noExplicitAny: googleapis-common pins an older google-auth-library type.
    auth: apiAuth as any,
    ...(rootUrl ? { rootUrl } : {}),
  };
  // Drive takes a Drive scope: cloud-platform does not cover it.
  const driveAuth = emulator
    ? apiAuth
    : new GoogleAuth({ scopes: [DRIVE_FILE_SCOPE], clientOptions: { transporterOptions } });
  return {
    services,
    revisions,
    connectors,
    sql: new sqladmin_v1.Sqladmin(apiOptions),
    logging: new logging_v2.Logging(apiOptions),
    monitoring: new monitoring_v3.Monitoring(apiOptions),
    resourceManager: new cloudresourcemanager_v3.Cloudresourcemanager(apiOptions),
    compute: new compute_v1.Compute(apiOptions),
    // biome-ignore lint/suspicious/noExplicitAny: as above.
    drive: new drive_v3.Drive({ ...apiOptions, auth: driveAuth as any }),
    ...(rootUrl ? { rootUrl } : {}),
    // GoogleAuth caches the client once found, so after the first success this costs nothing;
    // checking first tells a credentials failure apart from a failed request.
    async apiCredentials() {
      for (const auth of new Set([apiAuth, driveAuth])) {
        if (!(auth instanceof GoogleAuth)) continue;
        await auth.getClient().catch((error: unknown) => {
          throw new CredentialsUnavailable(error);
        });
      }
    },
    async close() {
      await Promise.all([services.close(), revisions.close(), connectors.close()]);
    },
  };
}
