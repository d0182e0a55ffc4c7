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
