import { TableCapacity } from '../scaling/table-capacity.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { ScaledClock } from '../shared/scaled-clock.ts';
import { ApiGateway, type GatewayObserver, type SideRoute } from './api-gateway.ts';
import { ControlPlane } from './control-plane.ts';
import { type DynaliteHost, startDynalite } from './dynalite-host.ts';
import { type CapacityObserver, DynamoDbFront, type EnforcedTable } from './dynamodb-front.ts';
import { type InvocationObserver, LambdaRuntime } from './lambda-runtime.ts';
import { localEndpoints } from './local-endpoints.ts';
import type { StackModel } from './stack-model.ts';
import { TrafficSummary } from './traffic-summary.ts';

/** Options of {@link LocalCloud}; durations are AWS's, before `timeScale` divides the control-plane ones. */
export interface LocalCloudOptions {
  readonly model: StackModel;
  /** @default systemClock */
  readonly clock?: Clock;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 3000; 0 picks a free port */
  readonly port?: number;
  /** LevelDB directory for dynalite; in memory when absent. */
  readonly dataDir?: string | undefined;
  /** Divides control-plane durations (apply delays, idle reclaim, quota clock). @default 1 */
  readonly timeScale?: number;
  /** @default 250 */
  readonly coldStartDelayMs?: number;
  /** @default 600,000 */
  readonly idleReclaimMs?: number;
  /** @default 60,000 */
  readonly updateApplyDelayMs?: number;
  /** @default 60,000 */
  readonly provisionedChangeDelayMs?: number;
  /** @default true */
  readonly burstStartsFull?: boolean;
  /** @default 1,000 */
  readonly accountConcurrency?: number;
  /** @default 29,000 */
  readonly integrationTimeoutMs?: number;
  /** One module instance per execution environment (see LambdaRuntimeOptions). @default false */
  readonly isolateEnvironments?: boolean;
  readonly functionLog?: (functionName: string, line: string) => void;
  readonly sideRoutes?: readonly SideRoute[];
  /** More routes that need the control plane (the dashboard); composed by the caller, who owns those modules. */
  readonly controlPlaneRoutes?: (controlPlane: ControlPlane, model: StackModel) => readonly SideRoute[];
  /** Console lines for alarm transitions into and out of ALARM, and scaling activities; none when absent. */
  readonly print?: (line: string) => void;
  /** Print every alarm transition, INSUFFICIENT_DATA -> OK included. @default false */
  readonly verbose?: boolean;
}

/** Endpoints of a running local cloud. */
export interface LocalEndpoints {
  /** Base URL of the API stage, e.g. http://127.0.0.1:3000/prod */
  readonly apiUrl: string;
  /** The capacity-enforcing DynamoDB endpoint (for the AWS CLI and SDKs). */
  readonly dynamoDbUrl: string;
  /** dynalite itself, uncharged (seeding, inspection). */
  readonly backendUrl: string;
  /** Tables created at this start (a `--data` restart creates none). */
  readonly createdTables: readonly string[];
}

/** The synthesized stack running on this machine: dynalite, the DynamoDB front, the Lambda runtime, the gateway. */
export class LocalCloud {
  readonly summary = new TrafficSummary();
  readonly tables = new Map<string, EnforcedTable>();
  private dynalite: DynaliteHost | undefined;
  private front: DynamoDbFront | undefined;
  private runtime: LambdaRuntime | undefined;
  private gateway: ApiGateway | undefined;
  private controlPlaneInstance: ControlPlane | undefined;

  constructor(private readonly options: LocalCloudOptions) {}

  /** CloudWatch and Application Auto Scaling of this cloud (after start). */
  get controlPlane(): ControlPlane {
    if (!this.controlPlaneInstance) throw new Error('the local cloud has not started');
    return this.controlPlaneInstance;
  }

  /** Starts every part, inside out; resolves when the API answers. */
  async start(): Promise<LocalEndpoints> {
    const { model } = this.options;
    if (!model.api) throw new Error('the template has no REST API to serve');
    const clock = this.options.clock ?? systemClock;
    // One compression for the whole cloud: AWS's control-plane durations, in the real time the data plane runs on.
    const virtualClock = new ScaledClock(clock, this.options.timeScale ?? 1);
    const realMs = (virtualMs: number) => virtualClock.realDurationMs(virtualMs);
    this.dynalite = await startDynalite({ dataDir: this.options.dataDir });
    const createdTables = await this.dynalite.ensureTables(model.tables);
    for (const table of model.tables) {
      const capacity = new TableCapacity({
        spec: {
          billingMode: table.billingMode,
          table: { readUnitsPerSecond: table.readUnits ?? 1, writeUnitsPerSecond: table.writeUnits ?? 1 },
          indexes: Object.fromEntries(
            table.indexes.map((i) => [i.indexName, { readUnitsPerSecond: i.readUnits ?? 1, writeUnitsPerSecond: i.writeUnits ?? 1 }]),
          ),
          maxOnDemand: table.maxOnDemand,
        },
        startMs: clock.nowMs(),
        burstStartsFull: this.options.burstStartsFull ?? true,
        updateApplyDelayMs: realMs(this.options.updateApplyDelayMs ?? 60_000),
        quotaClock: virtualClock,
      });
      this.tables.set(table.tableName, { table, capacity });
    }
    // Observers are bound late: the control plane needs the runtime, which needs the front's URL.
    const capacityObservers: CapacityObserver[] = [this.summary.capacity];
    const runtimeObservers: InvocationObserver[] = [this.summary.runtime];
    const gatewayObservers: GatewayObserver[] = [this.summary.gateway];
    this.front = new DynamoDbFront({
      backend: this.dynalite.backend,
      tables: this.tables,
      clock,
      observer: {
        consumed: (e) => {
          for (const o of capacityObservers) o.consumed(e);
        },
        throttled: (e) => {
          for (const o of capacityObservers) o.throttled(e);
        },
      },
      host: '127.0.0.1',
    });
    const dynamoDbUrl = await this.front.start();
    this.runtime = new LambdaRuntime({
      functions: model.functions,
      clock,
      baseEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDbUrl,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TZ: 'UTC',
      },
      coldStartDelayMs: this.options.coldStartDelayMs,
      idleReclaimMs: realMs(this.options.idleReclaimMs ?? 600_000),
      provisionedChangeDelayMs: realMs(this.options.provisionedChangeDelayMs ?? 60_000),
      accountConcurrency: this.options.accountConcurrency,
      isolateEnvironments: this.options.isolateEnvironments,
      functionLog: this.options.functionLog,
      observer: {
        invoked: (e) => {
          for (const o of runtimeObservers) o.invoked(e);
        },
      },
    });
    const controlPlane = new ControlPlane({
      model,
      clock: virtualClock,
      tables: this.tables,
      concurrency: this.runtime.concurrency,
      print: this.options.print,
      verbose: this.options.verbose,
    });
    this.controlPlaneInstance = controlPlane;
    capacityObservers.push(controlPlane.capacity);
    runtimeObservers.push(controlPlane.runtime);
    gatewayObservers.push(controlPlane.gateway);
    await this.runtime.start();
    controlPlane.start();
    this.gateway = new ApiGateway({
      api: model.api,
      runtime: this.runtime,
      clock,
      host: this.options.host,
      port: this.options.port,
      observer: {
        completed: (e) => {
          for (const o of gatewayObservers) o.completed(e);
        },
      },
      // Specific routes first: localEndpoints answers 404 for any other /_local/ path.
      sideRoutes: [
        ...(this.options.controlPlaneRoutes?.(controlPlane, model) ?? []),
        ...(this.options.sideRoutes ?? []),
        localEndpoints(controlPlane),
      ],
      integrationTimeoutMs: this.options.integrationTimeoutMs,
    });
    const base = await this.gateway.start();
    return { apiUrl: `${base}/${model.api.stageName}`, dynamoDbUrl, backendUrl: this.dynalite.backend.url, createdTables };
  }

  /** Stops outside in: in-flight requests finish, then functions, then the endpoints, then dynalite (flushing --data). */
  async stop(): Promise<void> {
    await this.gateway?.stop();
    this.controlPlaneInstance?.stop();
    await this.runtime?.stop();
    await this.front?.stop();
    await this.dynalite?.close();
  }
}
