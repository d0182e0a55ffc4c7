import { type Clock, systemClock } from '../common/clock.ts';
import { ScaledClock } from '../common/scaled-clock.ts';
import type { RetryQuotaScope } from '../scaling/sdk-retry.ts';
import type { LocalApi, StackModel } from '../scaling/stack-model.ts';
import { TableCapacity, tableCapacitySpec } from '../scaling/table-capacity.ts';
import { autoScalingApi } from './aws-apis/autoscaling-api.ts';
import { cloudWatchApi } from './aws-apis/cloudwatch-api.ts';
import { cloudWatchOperations } from './aws-apis/cloudwatch-operations.ts';
import { lambdaApi } from './aws-apis/lambda-api.ts';
import { LocalUserPools } from './cognito/local-user-pools.ts';
import { userPoolEndpoints } from './cognito/user-pool-endpoints.ts';
import { ControlPlane } from './control-plane/control-plane.ts';
import { type DynaliteHost, startDynalite } from './dynamodb/dynalite-host.ts';
import { type CapacityObserver, DynamoDbFront, dynamoDbRoute, type EnforcedTable } from './dynamodb/dynamodb-front.ts';
import { AccessLogFile, RecentAccess, standardAccessLogFormat } from './gateway/access-log.ts';
import { ApiGateway, type GatewayObserver } from './gateway/api-gateway.ts';
import { CognitoAuthorizer, type ScopeMissAnswer } from './gateway/cognito-authorizer.ts';
import type { SideRoute } from './gateway/side-route.ts';
import { type FunctionHeap, type HeapUsageOptions, type InvocationObserver, LambdaRuntime } from './lambda/lambda-runtime.ts';
import { localEndpoints } from './local-endpoints.ts';
import { TrafficSummary } from './traffic-summary.ts';

/** Options of {@link LocalCloud}; durations are AWS's, before `timeScale` divides the control-plane ones. */
export interface LocalCloudOptions {
  readonly model: StackModel;
  /**
   * Append the stage's access log to this file, one line per request in the template's `AccessLogSetting.Format`
   * (API Gateway's JSON standard fields when the template sets none).
   */
  readonly accessLogFile?: string | undefined;
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
  /** How long an UpdateTable takes to apply (AWS's duration, before `timeScale`). @default 60,000 */
  readonly updateApplyDelayMs?: number | undefined;
  /** @default 60,000 */
  readonly provisionedChangeDelayMs?: number;
  /** Whether tables start with a full burst bucket (300 s of unused capacity) or an empty one. @default true */
  readonly burstStartsFull?: boolean | undefined;
  /** @default 1,000 */
  readonly accountConcurrency?: number;
  /** @default 29,000 */
  readonly integrationTimeoutMs?: number;
  /** One module instance per execution environment (see LambdaRuntimeOptions). @default false */
  readonly isolateEnvironments?: boolean;
  readonly functionLog?: (functionName: string, line: string) => void;
  readonly sideRoutes?: readonly SideRoute[];
  /** More routes that need the control plane (the dashboard); composed by the caller, who owns those modules. */
  readonly controlPlaneRoutes?: (
    controlPlane: ControlPlane,
    model: StackModel,
    recentAccess: RecentAccess | undefined,
  ) => readonly SideRoute[];
  /** Console lines for alarm transitions into and out of ALARM, and scaling activities; none when absent. */
  readonly print?: (line: string) => void;
  /** Print every alarm transition, INSUFFICIENT_DATA -> OK included. @default false */
  readonly verbose?: boolean | undefined;
  /**
   * Virtual time at start-up, when a run's schedules were written relative to a moment chosen before it started
   * (`salesAnchor`). @default the real time of start-up
   */
  readonly virtualStartMs?: number | undefined;
  /** How long after the data CloudWatch alarms act (AWS's delay, before `timeScale`). @default 0 */
  readonly alarmDelayMs?: number | undefined;
  /** The answer to a valid access token without the method's scope (docs/aws-facts.md B 11.3). @default 401 */
  readonly scopeMissStatus?: ScopeMissAnswer | undefined;
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
  /** The template's user pools as emulated here (empty when it has none). */
  readonly userPools: LocalUserPools;
}

/** Who listens to each part's reports: the console summary, then the control plane once it exists. */
interface Observers {
  readonly capacity: CapacityObserver[];
  readonly runtime: InvocationObserver[];
  readonly gateway: GatewayObserver[];
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
  private readonly accessLog: AccessLogFile | undefined;
  private readonly recentAccess: RecentAccess | undefined;

  constructor(private readonly options: LocalCloudOptions) {
    const format = options.model.api?.accessLogFormat ?? standardAccessLogFormat;
    this.accessLog = options.accessLogFile ? new AccessLogFile(options.accessLogFile, format) : undefined;
    // The dashboard's event log shows the stage's access lines when the stage logs access, as AWS would.
    this.recentAccess = options.model.api?.accessLogFormat ? new RecentAccess(options.model.api.accessLogFormat) : undefined;
  }

  /** CloudWatch and Application Auto Scaling of this cloud (after start). */
  get controlPlane(): ControlPlane {
    if (!this.controlPlaneInstance) throw new Error('the local cloud has not started');
    return this.controlPlaneInstance;
  }

  /** Starts every part, inside out; resolves when the API answers. */
  async start(): Promise<LocalEndpoints> {
    const { model } = this.options;
    const api = model.api;
    if (!api) throw new Error('the template has no REST API to serve');
    const realClock = this.options.clock ?? systemClock;
    // One compression for the whole cloud: AWS's control-plane durations, in the real time the data plane runs on.
    const virtualClock = new ScaledClock(realClock, this.options.timeScale ?? 1, realClock.nowMs(), this.options.virtualStartMs);
    // Observers are bound late: the control plane needs the runtime, which needs the front's URL.
    const observers: Observers = { capacity: [this.summary.capacity], runtime: [this.summary.runtime], gateway: [this.summary.gateway] };
    this.dynalite = await startDynalite({ dataDir: this.options.dataDir });
    const createdTables = await this.dynalite.ensureTables(model.tables);
    this.enforceTables(virtualClock);
    const dynamoDbUrl = await this.startFront(this.dynalite, realClock, observers);
    const runtime = this.createRuntime(virtualClock, dynamoDbUrl, observers);
    const controlPlane = new ControlPlane({
      model,
      clock: virtualClock,
      tables: this.tables,
      concurrency: runtime.concurrency,
      print: this.options.print,
      verbose: this.options.verbose,
      alarmDelayMs: this.options.alarmDelayMs,
    });
    this.controlPlaneInstance = controlPlane;
    observers.capacity.push(controlPlane.capacity);
    observers.runtime.push(controlPlane.runtime);
    observers.gateway.push(controlPlane.gateway);
    await runtime.start();
    controlPlane.start();
    const userPools = await LocalUserPools.start({
      pools: model.userPools ?? [],
      region: 'us-east-1',
      dataDir: this.options.dataDir,
      nowMs: () => realClock.nowMs(),
    });
    const base = await this.startGateway(api, runtime, realClock, controlPlane, observers, userPools);
    userPools.origin = base;
    return { apiUrl: `${base}/${api.stageName}`, dynamoDbUrl, backendUrl: this.dynalite.backend.url, createdTables, userPools };
  }

  /** The capacity model of each table and GSI, from the template's throughput. */
  private enforceTables(virtualClock: ScaledClock): void {
    for (const table of this.options.model.tables) {
      const capacity = new TableCapacity({
        tableName: table.tableName,
        spec: tableCapacitySpec(table),
        startMs: virtualClock.real.nowMs(),
        burstStartsFull: this.options.burstStartsFull ?? true,
        updateApplyDelayMs: virtualClock.realDurationMs(this.options.updateApplyDelayMs ?? 60_000),
        quotaClock: virtualClock,
      });
      this.tables.set(table.tableName, { table, capacity });
    }
  }

  /** The capacity-enforcing DynamoDB endpoint in front of dynalite; resolves to its URL. */
  private startFront(dynalite: DynaliteHost, realClock: Clock, observers: Observers): Promise<string> {
    this.front = new DynamoDbFront({
      backend: dynalite.backend,
      tables: this.tables,
      clock: realClock,
      observer: {
        consumed: (e) => {
          for (const o of observers.capacity) o.consumed(e);
        },
        throttled: (e) => {
          for (const o of observers.capacity) o.throttled(e);
        },
      },
      host: '127.0.0.1',
    });
    return this.front.start();
  }

  /** The Lambda runtime, its functions' SDK pointed at the local DynamoDB endpoint. */
  private createRuntime(virtualClock: ScaledClock, dynamoDbUrl: string, observers: Observers): LambdaRuntime {
    this.runtime = new LambdaRuntime({
      functions: this.options.model.functions,
      clock: virtualClock.real,
      baseEnvironment: {
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDbUrl,
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        // The SDK warns once per module instance when the Node running it is older than it will support. The host
        // process warns for itself (README, "Which Node"); each function's own SDK would repeat the same line once per
        // function, about the host's Node, not the runtime the template asks for.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TZ: 'UTC',
      },
      coldStartDelayMs: this.options.coldStartDelayMs,
      idleReclaimMs: virtualClock.realDurationMs(this.options.idleReclaimMs ?? 600_000),
      provisionedChangeDelayMs: virtualClock.realDurationMs(this.options.provisionedChangeDelayMs ?? 60_000),
      accountConcurrency: this.options.accountConcurrency,
      isolateEnvironments: this.options.isolateEnvironments,
      functionLog: this.options.functionLog,
      observer: {
        invoked: (e) => {
          for (const o of observers.runtime) o.invoked(e);
        },
      },
    });
    return this.runtime;
  }

  /** The REST API stage with the /_local endpoints beside it; resolves to its origin. */
  private startGateway(
    api: LocalApi,
    runtime: LambdaRuntime,
    realClock: Clock,
    controlPlane: ControlPlane,
    observers: Observers,
    userPools: LocalUserPools,
  ): Promise<string> {
    this.gateway = new ApiGateway({
      authorizer: new CognitoAuthorizer(userPools, this.options.scopeMissStatus ?? 401, () => realClock.nowMs()),
      api,
      runtime,
      clock: realClock,
      host: this.options.host,
      port: this.options.port,
      observer: {
        completed: (e) => {
          for (const o of observers.gateway) o.completed(e);
        },
      },
      accessLog:
        this.accessLog || this.recentAccess
          ? (context) => {
              this.accessLog?.write(context);
              this.recentAccess?.record(context);
            }
          : undefined,
      // Specific routes first: localEndpoints answers 404 for any other /_local/ path.
      sideRoutes: [
        ...(this.options.controlPlaneRoutes?.(controlPlane, this.options.model, this.recentAccess) ?? []),
        ...(this.options.sideRoutes ?? []),
        userPoolEndpoints(userPools),
        lambdaApi(
          this.options.model.functions,
          runtime.concurrency,
          () => realClock.nowMs(),
          (operation, resource, detail) => controlPlane.noteApiChange(operation, resource, detail),
          (functionName, qualifier, event) => runtime.invoke(functionName, qualifier, event),
        ),
        autoScalingApi({
          autoScaling: controlPlane.autoScaling,
          capacity: controlPlane.port,
          model: this.options.model,
          nowMs: () => controlPlane.virtualNow(),
          startMs: controlPlane.startedAtMs,
          onChange: (operation, resource, detail) => controlPlane.noteApiChange(operation, resource, detail),
        }),
        cloudWatchApi(cloudWatchOperations(controlPlane)),
        dynamoDbRoute(this.front),
        localEndpoints(controlPlane, (options) => runtime.heapUsage(options)),
      ],
      integrationTimeoutMs: this.options.integrationTimeoutMs,
    });
    return this.gateway.start();
  }

  /** Each function worker's heap; `snapshotDir` has each write a heap snapshot there (bench/create-memory.ts). */
  functionHeaps(options: HeapUsageOptions = {}): Promise<Record<string, FunctionHeap>> {
    return this.runtime?.heapUsage(options) ?? Promise.resolve({});
  }

  /** Whose SDK retry quota each initialised function draws on (docs/decisions/0005). */
  retryQuotaScopes(): Record<string, RetryQuotaScope> {
    return this.runtime?.retryQuotaScopes() ?? {};
  }

  /** Stops outside in: in-flight requests finish, then functions, then the endpoints, then dynalite (flushing --data). */

  async stop(): Promise<void> {
    await this.gateway?.stop();
    await this.accessLog?.close();
    this.controlPlaneInstance?.stop();
    await this.runtime?.stop();
    await this.front?.stop();
    await this.dynalite?.close();
  }
}
