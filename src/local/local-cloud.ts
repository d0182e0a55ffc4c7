import { TableCapacity } from '../scaling/table-capacity.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { ApiGateway, type SideRoute } from './api-gateway.ts';
import { type DynaliteHost, startDynalite } from './dynalite-host.ts';
import { DynamoDbFront, type EnforcedTable } from './dynamodb-front.ts';
import { LambdaRuntime } from './lambda-runtime.ts';
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

  constructor(private readonly options: LocalCloudOptions) {}

  /** Starts every part, inside out; resolves when the API answers. */
  async start(): Promise<LocalEndpoints> {
    const { model } = this.options;
    if (!model.api) throw new Error('the template has no REST API to serve');
    const clock = this.options.clock ?? systemClock;
    const scale = this.options.timeScale ?? 1;
    const scaled = (ms: number) => ms / scale;
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
        updateApplyDelayMs: scaled(this.options.updateApplyDelayMs ?? 60_000),
        timeScale: scale,
      });
      this.tables.set(table.tableName, { table, capacity });
    }
    this.front = new DynamoDbFront({
      backend: this.dynalite.backend,
      tables: this.tables,
      clock,
      observer: this.summary.capacity,
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
      idleReclaimMs: scaled(this.options.idleReclaimMs ?? 600_000),
      provisionedChangeDelayMs: scaled(this.options.provisionedChangeDelayMs ?? 60_000),
      accountConcurrency: this.options.accountConcurrency,
      isolateEnvironments: this.options.isolateEnvironments,
      functionLog: this.options.functionLog,
      observer: this.summary.runtime,
    });
    await this.runtime.start();
    this.gateway = new ApiGateway({
      api: model.api,
      runtime: this.runtime,
      clock,
      host: this.options.host,
      port: this.options.port,
      observer: this.summary.gateway,
      sideRoutes: this.options.sideRoutes,
      integrationTimeoutMs: this.options.integrationTimeoutMs,
    });
    const base = await this.gateway.start();
    return { apiUrl: `${base}/${model.api.stageName}`, dynamoDbUrl, backendUrl: this.dynalite.backend.url, createdTables };
  }

  /** Stops outside in: in-flight requests finish, then functions, then the endpoints, then dynalite (flushing --data). */
  async stop(): Promise<void> {
    await this.gateway?.stop();
    await this.runtime?.stop();
    await this.front?.stop();
    await this.dynalite?.close();
  }
}
