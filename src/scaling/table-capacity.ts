import { AppError } from '../common/app-error.ts';
import type { ScaledClock } from '../common/scaled-clock.ts';
import { type CapacityKind, type DynamoDbThrottle, onDemandThrottle, provisionedThrottle } from './dynamodb-throttle.ts';
import { initialOnDemandPeak, OnDemandCapacity } from './on-demand-capacity.ts';
import { ProvisionedCapacity } from './provisioned-capacity.ts';
import type { LocalTable } from './stack-model.ts';

/** Provisioned units per second of a table or GSI. */
export interface Throughput {
  readonly readUnitsPerSecond: number;
  readonly writeUnitsPerSecond: number;
}

/** Capacity settings of one table and its GSIs, as the template declares them. */
export interface TableCapacitySpec {
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Provisioned mode: throughput of the table and of each GSI. */
  readonly table?: Throughput | undefined;
  readonly indexes: Readonly<Record<string, Throughput | undefined>>;
  /** On-demand maximum throughput (B 3.7), table and GSIs. */
  readonly maxOnDemand?: Partial<Throughput> | undefined;
  /**
   * Warm throughput (B 3.8) of the table (key '') and each GSI: what an on-demand table serves at once. It raises
   * the previous peak the on-demand limit doubles to half of it, never lowers it.
   */
  readonly warmThroughput?: Readonly<Record<string, Partial<Throughput> | undefined>> | undefined;
}

/** Options of {@link TableCapacity}. */
export interface TableCapacityOptions {
  readonly spec: TableCapacitySpec;
  /** The table's name, as DynamoDB's refusals name it. @default 'table' */
  readonly tableName?: string;
  readonly startMs: number;
  /** @default true (B 2.1 decision: a deployed, idle table) */
  readonly burstStartsFull?: boolean;
  /** Time an UpdateTable takes to apply; until then the old capacity is enforced. @default 60_000 (Part A) */
  readonly updateApplyDelayMs?: number;
  /**
   * The control plane's clock, which the decrease quota's hours and UTC days follow (the table itself works in the
   * real time its callers pass). @default real time (no compression)
   */
  readonly quotaClock?: Pick<ScaledClock, 'virtualAt' | 'realDurationMs'>;
}

/** A requested change of provisioned throughput (UpdateTable). */
export interface ThroughputUpdate {
  readonly table?: Throughput | undefined;
  readonly indexes?: Readonly<Record<string, Throughput>> | undefined;
}

/** What DescribeTable reports for one table or GSI. */
export interface ThroughputDescription extends Throughput {
  readonly numberOfDecreasesToday: number;
  readonly lastIncreaseMs: number | undefined;
  readonly lastDecreaseMs: number | undefined;
}

interface Resource {
  read: ProvisionedCapacity | OnDemandCapacity;
  write: ProvisionedCapacity | OnDemandCapacity;
  decreasesToday: number;
  decreaseDay: number;
  lastIncreaseMs: number | undefined;
  lastDecreaseMs: number | undefined;
}

/** Decreases allowed per UTC day before the one-per-hour rule applies (B 4.12). */
const freeDecreasesPerDay = 4;

/** Why an UpdateTable was refused: `exception` is the DynamoDB error the API answers with, `message` its wording. */
export class ThroughputUpdateRefusedError extends AppError {
  constructor(
    readonly exception: 'LimitExceededException' | 'ValidationException' | 'ResourceInUseException',
    message: string,
  ) {
    super('THROUGHPUT_UPDATE_REFUSED', message);
  }
}

/**
 * The capacity of one DynamoDB table and its GSIs: admission and debit of read and write units, GSI back-pressure
 * on writes (B 1.19), on-demand doubling (B 3.1), UpdateTable with its apply delay and decrease quota (B 4.12-4.13).
 * Pure: every call takes the time.
 */
export class TableCapacity {
  private readonly tableName: string;
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  private readonly resources = new Map<string | undefined, Resource>();
  private readonly applyDelayMs: number;
  private readonly quotaClock: Pick<ScaledClock, 'virtualAt' | 'realDurationMs'>;
  private pending: { update: ThroughputUpdate; applyAtMs: number } | undefined;

  constructor(options: TableCapacityOptions) {
    this.tableName = options.tableName ?? 'table';
    const { spec, startMs } = options;
    this.billingMode = spec.billingMode;
    this.applyDelayMs = options.updateApplyDelayMs ?? 60_000;
    this.quotaClock = options.quotaClock ?? { virtualAt: (realMs) => realMs, realDurationMs: (virtualMs) => virtualMs };
    const warmPeak = (key: string, kind: CapacityKind) => {
      const warm = spec.warmThroughput?.[key];
      const units = kind === 'read' ? warm?.readUnitsPerSecond : warm?.writeUnitsPerSecond;
      return Math.max(initialOnDemandPeak[kind], (units ?? 0) / 2);
    };
    const make = (throughput: Throughput | undefined, kind: CapacityKind, key: string): ProvisionedCapacity | OnDemandCapacity =>
      spec.billingMode === 'PROVISIONED'
        ? new ProvisionedCapacity({
            unitsPerSecond: kind === 'read' ? (throughput?.readUnitsPerSecond ?? 1) : (throughput?.writeUnitsPerSecond ?? 1),
            startMs,
            burstStartsFull: options.burstStartsFull ?? true,
          })
        : new OnDemandCapacity({
            initialPeakPerSecond: warmPeak(key, kind),
            maxUnitsPerSecond: kind === 'read' ? spec.maxOnDemand?.readUnitsPerSecond : spec.maxOnDemand?.writeUnitsPerSecond,
            startMs,
          });
    const resource = (throughput: Throughput | undefined, key = ''): Resource => ({
      read: make(throughput, 'read', key),
      write: make(throughput, 'write', key),
      decreasesToday: 0,
      decreaseDay: -1,
      lastIncreaseMs: undefined,
      lastDecreaseMs: undefined,
    });
    this.resources.set(undefined, resource(spec.table));
    for (const [indexName, throughput] of Object.entries(spec.indexes)) this.resources.set(indexName, resource(throughput, indexName));
  }

  /** GSI names. */
  get indexNames(): string[] {
    return [...this.resources.keys()].filter((name): name is string => name !== undefined);
  }

  /** Whether a read estimated at `units` on the table (or `indexName`) may run now; the throttle if not. */
  admitRead(indexName: string | undefined, units: number, nowMs: number): DynamoDbThrottle | undefined {
    this.applyDue(nowMs);
    return this.refusal(indexName, 'read', units, nowMs);
  }

  /** Debits read units actually consumed. */
  chargeRead(indexName: string | undefined, units: number, nowMs: number): void {
    this.resource(indexName).read.charge(units, nowMs);
  }

  /**
   * Admits and charges a write of `tableUnits` plus `indexUnits` per affected GSI, all or nothing: a GSI short of
   * capacity throttles the table write (back-pressure).
   */
  admitWrite(tableUnits: number, indexUnits: Readonly<Record<string, number>>, nowMs: number): DynamoDbThrottle | undefined {
    this.applyDue(nowMs);
    const refused = this.refusal(undefined, 'write', tableUnits, nowMs);
    if (refused) return refused;
    for (const [indexName, units] of Object.entries(indexUnits)) {
      if (units <= 0 || !this.resources.has(indexName)) continue;
      const indexRefused = this.refusal(indexName, 'write', units, nowMs);
      if (indexRefused) return indexRefused;
    }
    this.chargeWrite(undefined, tableUnits, nowMs);
    for (const [indexName, units] of Object.entries(indexUnits))
      if (units > 0 && this.resources.has(indexName)) this.chargeWrite(indexName, units, nowMs);
    return undefined;
  }

  /** Debits write units (for example the difference once an update's result size is known). */
  chargeWrite(indexName: string | undefined, units: number, nowMs: number): void {
    this.resource(indexName).write.charge(units, nowMs);
  }

  /** Units that reads (or writes) of the table or a GSI may still start with now: the fluid form of admission. */
  admissibleUnits(indexName: string | undefined, kind: CapacityKind, nowMs: number): number {
    this.applyDue(nowMs);
    return this.resource(indexName)[kind].admissibleUnits(nowMs);
  }

  /** Units in the burst bucket of a provisioned resource (undefined for on-demand). */
  burstLevel(indexName: string | undefined, kind: CapacityKind, nowMs: number): number | undefined {
    const capacity = this.resource(indexName)[kind];
    return capacity instanceof ProvisionedCapacity ? capacity.burstLevel(nowMs) : undefined;
  }

  /** When the UpdateTable still applying takes effect (undefined while ACTIVE). */
  updateAppliesAtMs(nowMs: number): number | undefined {
    this.applyDue(nowMs);
    return this.pending?.applyAtMs;
  }

  /** ACTIVE, or UPDATING while an UpdateTable has not applied yet. */
  status(nowMs: number): 'ACTIVE' | 'UPDATING' {
    return this.updateAppliesAtMs(nowMs) === undefined ? 'ACTIVE' : 'UPDATING';
  }

  /** Provisioned units per second now enforced for reads or writes of the table or a GSI (0 on-demand). */
  provisionedUnits(indexName: string | undefined, kind: CapacityKind, nowMs: number): number {
    this.applyDue(nowMs);
    const capacity = this.resource(indexName)[kind];
    return capacity instanceof ProvisionedCapacity ? capacity.provisioned : 0;
  }

  /** The enforced throughput and decrease bookkeeping of the table or a GSI. */
  describe(indexName: string | undefined, nowMs: number): ThroughputDescription {
    this.applyDue(nowMs);
    const resource = this.resource(indexName);
    return {
      readUnitsPerSecond: resource.read instanceof ProvisionedCapacity ? resource.read.provisioned : 0,
      writeUnitsPerSecond: resource.write instanceof ProvisionedCapacity ? resource.write.provisioned : 0,
      numberOfDecreasesToday: resource.decreaseDay === this.quotaDay(nowMs) ? resource.decreasesToday : 0,
      lastIncreaseMs: resource.lastIncreaseMs,
      lastDecreaseMs: resource.lastDecreaseMs,
    };
  }

  /**
   * Accepts an UpdateTable of provisioned throughput; it applies `updateApplyDelayMs` later. Refused while another
   * update is pending, on an on-demand table, or when a decrease exceeds the daily quota (whole request refused).
   */
  requestUpdate(update: ThroughputUpdate, nowMs: number): void {
    this.applyDue(nowMs);
    if (this.billingMode !== 'PROVISIONED')
      throw new ThroughputUpdateRefusedError(
        'ValidationException',
        'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
      );
    // While a table is UPDATING no other UpdateTable can be issued, for the table or any of its GSIs (B 4.13a).
    if (this.pending)
      throw new ThroughputUpdateRefusedError(
        'ResourceInUseException',
        `Attempt to change a resource which is still in use: Table is being updated: ${this.tableName}`,
      );
    const changes: [string | undefined, Throughput][] = [
      ...(update.table ? [[undefined, update.table] as [undefined, Throughput]] : []),
      ...Object.entries(update.indexes ?? {}),
    ];
    for (const [indexName, throughput] of changes) {
      if (!this.resources.has(indexName))
        throw new ThroughputUpdateRefusedError('ValidationException', `The table does not have the specified index: ${indexName}`);
      if (throughput.readUnitsPerSecond < 1 || throughput.writeUnitsPerSecond < 1) {
        throw new ThroughputUpdateRefusedError(
          'ValidationException',
          'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must be at least 1',
        );
      }
      const current = this.describe(indexName, nowMs);
      const decreases =
        throughput.readUnitsPerSecond < current.readUnitsPerSecond || throughput.writeUnitsPerSecond < current.writeUnitsPerSecond;
      if (decreases && !this.decreaseAllowed(indexName, nowMs)) {
        throw new ThroughputUpdateRefusedError(
          'LimitExceededException',
          `Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: ${current.numberOfDecreasesToday}.`,
        );
      }
    }
    this.pending = { update, applyAtMs: nowMs + this.applyDelayMs };
  }

  private decreaseAllowed(indexName: string | undefined, nowMs: number): boolean {
    const resource = this.resource(indexName);
    const today = resource.decreaseDay === this.quotaDay(nowMs) ? resource.decreasesToday : 0;
    if (today < freeDecreasesPerDay) return true;
    const hourMs = this.quotaClock.realDurationMs(3_600_000);
    return resource.lastDecreaseMs === undefined || nowMs - resource.lastDecreaseMs >= hourMs;
  }

  /** The UTC day of real time `nowMs` on the quota clock. */
  private quotaDay(nowMs: number): number {
    return Math.floor(this.quotaClock.virtualAt(nowMs) / 86_400_000);
  }

  private applyDue(nowMs: number): void {
    if (!this.pending || nowMs < this.pending.applyAtMs) return;
    const { update, applyAtMs } = this.pending;
    this.pending = undefined;
    const changes: [string | undefined, Throughput][] = [
      ...(update.table ? [[undefined, update.table] as [undefined, Throughput]] : []),
      ...Object.entries(update.indexes ?? {}),
    ];
    for (const [indexName, throughput] of changes) {
      const resource = this.resource(indexName);
      const read = resource.read as ProvisionedCapacity;
      const write = resource.write as ProvisionedCapacity;
      const decreased = throughput.readUnitsPerSecond < read.provisioned || throughput.writeUnitsPerSecond < write.provisioned;
      const increased = throughput.readUnitsPerSecond > read.provisioned || throughput.writeUnitsPerSecond > write.provisioned;
      read.setProvisioned(throughput.readUnitsPerSecond, applyAtMs);
      write.setProvisioned(throughput.writeUnitsPerSecond, applyAtMs);
      if (increased) resource.lastIncreaseMs = applyAtMs;
      if (decreased) {
        const day = this.quotaDay(applyAtMs);
        resource.decreasesToday = resource.decreaseDay === day ? resource.decreasesToday + 1 : 1;
        resource.decreaseDay = day;
        resource.lastDecreaseMs = applyAtMs;
      }
    }
  }

  private refusal(indexName: string | undefined, kind: CapacityKind, units: number, nowMs: number): DynamoDbThrottle | undefined {
    const capacity = this.resource(indexName)[kind];
    if (capacity instanceof ProvisionedCapacity) return capacity.canAdmit(units, nowMs) ? undefined : provisionedThrottle(kind, indexName);
    const reason = capacity.refusal(units, nowMs);
    return reason ? onDemandThrottle(kind, indexName, reason === 'MaxOnDemandThroughputExceeded') : undefined;
  }

  private resource(indexName: string | undefined): Resource {
    const resource = this.resources.get(indexName);
    if (!resource) throw new RangeError(`no such index: ${indexName}`);
    return resource;
  }
}

/** The capacity settings of a table as the template (or a candidate stack) declares them: the one reading of them. */
export function tableCapacitySpec(table: LocalTable): TableCapacitySpec {
  const throughput = (read: number | undefined, write: number | undefined) => ({
    readUnitsPerSecond: read ?? 1,
    writeUnitsPerSecond: write ?? 1,
  });
  return {
    billingMode: table.billingMode,
    table: throughput(table.readUnits, table.writeUnits),
    indexes: Object.fromEntries(table.indexes.map((i) => [i.indexName, throughput(i.readUnits, i.writeUnits)])),
    maxOnDemand: table.maxOnDemand,
    warmThroughput: {
      '': table.warmThroughput,
      ...Object.fromEntries(table.indexes.map((i) => [i.indexName, i.warmThroughput])),
    },
  };
}
