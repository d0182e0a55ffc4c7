import type { CapacityKind } from '../scaling/dynamodb-throttle.ts';

/** One DynamoDB call a request makes, priced with the capacity-unit arithmetic of scaling/request-pricing. */
export interface DemandOperation {
  /** DynamoDB's operation name, for the ThrottledRequests metric ("Scan", "GetItem", ...). */
  readonly operation: string;
  readonly tableName: string;
  /** A read on a GSI names it; writes name none (their GSI units are in `indexUnits`). */
  readonly indexName?: string | undefined;
  readonly kind: CapacityKind;
  /** Units the call consumes on the table (or on the index it reads). */
  readonly units: number;
  /** Writes: units each GSI pays for the entries the write changes. */
  readonly indexUnits?: Readonly<Record<string, number>> | undefined;
}

/** What one request of a kind of the mix does: the method it calls and its DynamoDB calls, in order. */
export interface RequestDemand {
  /** The mix's name for it: "list", "get", ... */
  readonly kind: string;
  readonly method: string;
  /** The API resource, "/products/{id}". */
  readonly resourcePath: string;
  readonly operations: readonly DemandOperation[];
}

/** What the profile's mix asks for at a steady rate: each kind's requests per second, and units per table and GSI. */
export interface SteadyDemand {
  /** Each kind of the mix with its requests per second. */
  readonly kinds: readonly { readonly demand: RequestDemand; readonly perSecond: number }[];
  /** Units per second on each table ("table") and GSI ("table/index"), reads and writes. */
  readonly units: ReadonlyMap<string, { read: number; write: number }>;
}

/** The demand of `shares` (kind -> share of the mix) at `ratePerSecond` requests a second. */
export function steadyDemand(shares: readonly [string, number][], demand: readonly RequestDemand[], ratePerSecond: number): SteadyDemand {
  const kinds: { demand: RequestDemand; perSecond: number }[] = [];
  const units = new Map<string, { read: number; write: number }>();
  const add = (name: string, kind: CapacityKind, perSecond: number) => {
    const entry = units.get(name) ?? { read: 0, write: 0 };
    entry[kind] += perSecond;
    units.set(name, entry);
  };
  for (const [kind, share] of shares) {
    const what = demand.find((d) => d.kind === kind);
    if (!what) continue;
    const perSecond = ratePerSecond * share;
    kinds.push({ demand: what, perSecond });
    for (const op of what.operations) {
      add(op.indexName ? `${op.tableName}/${op.indexName}` : op.tableName, op.kind, perSecond * op.units);
      for (const [index, indexUnits] of Object.entries(op.indexUnits ?? {}))
        add(`${op.tableName}/${index}`, 'write', perSecond * indexUnits);
    }
  }
  return { kinds, units };
}
