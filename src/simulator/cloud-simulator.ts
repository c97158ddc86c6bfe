import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudRunState } from './cloud-run-state';
import { SimulatedDrive, type SimulatedDriveFile } from './drive-files';
import { enumEncoder, wantsNumericEnums } from './enums';
import { googleError, permissionDenied } from './google-error';
import { loadScenario, parseScenario } from './load-scenario';
import { generateLogEntries, type SimulatedLogEntry } from './log-entries';
import type { Scenario, ScenarioInput, SimulatedMethod } from './scenario';
import { routeApiCall } from './simulated-api';

/** A scenario by bundled name, by YAML path, or as data (validated like a file). */
export type ScenarioSource = Scenario | ScenarioInput | string;

export interface SimulatorOptions {
  scenario: ScenarioSource;
  /** 0 or absent: any free port. */
  port?: number;
  /** The clock resources, logs and metrics are rendered against. */
  now?: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  at: Date;
  /** The request body: parsed JSON, or the text when it is not JSON; absent when empty. */
  body?: unknown;
}

/** Deterministic pseudo-random numbers (mulberry32), so a seeded scenario behaves the same each run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const resolve = (source: ScenarioSource): Scenario =>
  typeof source === 'string' ? loadScenario(source) : parseScenario(source);

/**
 * A loopback stand-in for the Google Cloud APIs Warroom calls, serving one scenario. The official
 * client libraries talk to it over real HTTP (GCP_EMULATOR_HOST); the shell's `--simulate` demo
 * and the integration tests both use it. `GET /sim/health/<name>` answers the scenario's health
 * statuses so a config's healthChecks can point here. Cloud Run services can be updated (a restart,
 * a traffic change); their rollouts take real time, as the scenario's `rollout` says.
 */
export class CloudSimulator {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  private scenario!: Scenario;
  private logs: SimulatedLogEntry[] = [];
  private random: () => number = Math.random;
  private faultCounts = new Map<string, number>();
  private cloudRun!: CloudRunState;
  /** Drive's files outlive scenario switches: documents are not part of a scenario. */
  private readonly drive: SimulatedDrive;

  private constructor(
    private readonly server: Server,
    private readonly now: () => Date,
  ) {
    this.drive = new SimulatedDrive(() => this.scenario.drive.folders, now);
  }

  /** The files Drive calls created, as last updated, in creation order. */
  driveFiles(): SimulatedDriveFile[] {
    return this.drive.list();
  }

  static async start(options: SimulatorOptions): Promise<CloudSimulator> {
    const server = createServer();
    const simulator = new CloudSimulator(server, options.now ?? (() => new Date()));
    simulator.setScenario(options.scenario);
    server.on('request', (req, res) => simulator.handle(req, res));
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 0, '127.0.0.1', () => done());
    });
    return simulator;
  }

  readonly host = '127.0.0.1';
  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** The value for GCP_EMULATOR_HOST. */
  get emulatorHost(): string {
    return `${this.host}:${this.port}`;
  }
  get current(): Scenario {
    return this.scenario;
  }

  /**
   * Switches scenario; logs are regenerated relative to now, fault counters start over and Cloud
   * Run services lose the updates made to them.
   */
  setScenario(source: ScenarioSource): void {
    this.scenario = resolve(source);
    this.logs = generateLogEntries(this.scenario, this.now());
    this.random = seeded(this.scenario.seed);
    this.faultCounts.clear();
    // Its own sequence, so revision names do not depend on how many calls drew latency before.
    this.cloudRun = new CloudRunState(this.scenario, seeded(this.scenario.seed + 1));
  }

  /** Requests whose path starts with `pathPrefix` (all when absent). */
  requestCount(pathPrefix = ''): number {
    return this.requests.filter((r) => r.path.startsWith(pathPrefix)).length;
  }

  /** Stops listening and drops open connections, hanging requests included. */
  async close(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      at: new Date(),
    };
    this.requests.push(recorded);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let invalidJson = false;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      invalidJson = true;
    }
    if (text) recorded.body = invalidJson ? text : body;
    const health = /^\/sim\/health\/([^/]+)$/.exec(url.pathname);
    if (health) {
      const status = this.healthOf(health[1] ?? '');
      return this.send(res, status, status < 400 ? { status: 'ok' } : { status: 'unavailable' });
    }
    const driveCall = this.drive.route(req.method ?? 'GET', url, text, req.headers['content-type'] ?? '');
    if (driveCall)
      return this.applyFaults(driveCall.method, driveCall.resource, res, () => driveCall.answer());
    if (invalidJson) return this.send(res, 400, googleError(400, 'Invalid JSON payload received.'));
    const ctx = {
      scenario: this.scenario,
      now: this.now(),
      enc: enumEncoder(wantsNumericEnums(url.searchParams)),
    };
    const call = routeApiCall({
      httpMethod: req.method ?? 'GET',
      url,
      body,
      ctx,
      logs: this.logs,
      cloudRun: this.cloudRun,
      at: Date.now(),
    });
    if (!call)
      return this.send(res, 404, googleError(404, `The requested URL ${url.pathname} was not found.`));
    await this.applyFaults(call.method, call.resource, res, () => call.answer());
  }

  /** The scenario's health status, unless an update restarted the service and its revision is ready. */
  private healthOf(name: string): number {
    if (this.cloudRun.restarted(name, Date.now())) return 200;
    return this.scenario.health[name] ?? 404;
  }

  private async applyFaults(
    method: SimulatedMethod,
    resource: string,
    res: ServerResponse,
    answer: () => { status: number; body: unknown },
  ): Promise<void> {
    const faults = this.scenario.faults;
    if (faults.latencyMs) {
      const [min, max] = faults.latencyMs;
      await new Promise((done) => setTimeout(done, min + this.random() * (max - min)));
    }
    if (faults.hang.includes(method)) return; // never answer; close() drops the socket
    if (faults.permissionDenied.includes(method))
      return this.send(res, 403, permissionDenied(method, resource));
    const reset = faults.resets.find((r) => r.method === method);
    if (reset && this.counts(`${method}:reset`, reset.times)) {
      res.socket?.destroy();
      return;
    }
    const error = faults.errors.find((e) => e.method === method);
    if (error && this.counts(`${method}:${error.status}`, error.times)) {
      return this.send(res, error.status, googleError(error.status, undefined, method));
    }
    if (faults.flakyRate > 0 && this.random() < faults.flakyRate) {
      return this.send(res, 503, googleError(503, undefined, method));
    }
    const { status, body } = answer();
    if (faults.malformedJson.includes(method)) {
      // A truncated body, as a proxy cutting a response short would deliver it.
      const full = JSON.stringify(body);
      return this.sendRaw(res, 200, full.slice(0, Math.max(8, Math.floor(full.length / 2))));
    }
    this.send(res, status, body);
  }

  /** Counts one occurrence of a fault; true while it should still fire (`times` absent: always). */
  private counts(key: string, times: number | undefined): boolean {
    const count = (this.faultCounts.get(key) ?? 0) + 1;
    this.faultCounts.set(key, count);
    return times === undefined || count <= times;
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    this.sendRaw(res, status, JSON.stringify(body));
  }

  private sendRaw(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, {
      'content-type': 'application/json; charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}
