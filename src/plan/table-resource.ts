import type { CapacityKind } from '../scaling/dynamodb-throttle.ts';
import type { TableCapacity } from '../scaling/table-capacity.ts';
import type { DemandOperation } from './request-demand.ts';

/** The reads or the writes of one table or GSI: what a simulation admits and charges against. */
export interface TableResource {
  readonly index: number;
  readonly table: TableCapacity;
  readonly tableName: string;
  readonly indexName: string | undefined;
  readonly kind: CapacityKind;
  /** "table" or "table/index", as the output names it. */
  readonly name: string;
  /** "name|kind": one key per resource. */
  readonly key: string;
  /** CloudWatch's dimensions of the table or GSI. */
  readonly dimensions: Readonly<Record<string, string>>;
  /** ThrottledRequests' dimensions for an operation on the table (the same object each time). */
  operationDimensions(operation: string): Readonly<Record<string, string>>;
}

/** One DynamoDB call with the resources it takes units from, resolved once. */
export interface ResolvedOperation {
  readonly operation: string;
  readonly uses: readonly { readonly resource: TableResource; readonly units: number }[];
}

function operationDimensionsOf(tableName: string): (operation: string) => Readonly<Record<string, string>> {
  const byOperation = new Map<string, Readonly<Record<string, string>>>();
  return (operation) => {
    let dimensions = byOperation.get(operation);
    if (!dimensions) {
      dimensions = { TableName: tableName, Operation: operation };
      byOperation.set(operation, dimensions);
    }
    return dimensions;
  };
}

/** Finds or creates the resources of a simulation's tables. */
export class TableResources {
  readonly all: TableResource[] = [];
  private readonly byKey = new Map<string, TableResource>();
  /** Scratch space of a second's admission, one slot per resource (reused: a day has 86,400 seconds). */
  demanded = new Float64Array(0);
  share = new Float64Array(0);

  constructor(private readonly tables: ReadonlyMap<string, TableCapacity>) {}

  /** The reads or writes of a table or GSI. */
  of(tableName: string, indexName: string | undefined, kind: CapacityKind): TableResource {
    const key = `${tableName}|${indexName ?? ''}|${kind}`;
    let resource = this.byKey.get(key);
    if (!resource) {
      const table = this.tables.get(tableName);
      if (!table) throw new RangeError(`no table ${tableName}`);
      resource = {
        index: this.all.length,
        table,
        tableName,
        indexName,
        kind,
        name: indexName ? `${tableName}/${indexName}` : tableName,
        key: `${indexName ? `${tableName}/${indexName}` : tableName}|${kind}`,
        dimensions: { TableName: tableName, ...(indexName && { GlobalSecondaryIndexName: indexName }) },
        operationDimensions: operationDimensionsOf(tableName),
      };
      this.all.push(resource);
      this.byKey.set(key, resource);
      this.demanded = new Float64Array(this.all.length);
      this.share = new Float64Array(this.all.length);
    }
    return resource;
  }

  /** A call's units on its own table or index, and a write's on each GSI it changes. */
  resolve(operation: DemandOperation): ResolvedOperation {
    const uses = [{ resource: this.of(operation.tableName, operation.indexName, operation.kind), units: operation.units }];
    for (const [indexName, units] of Object.entries(operation.indexUnits ?? {}))
      if (units > 0 && this.tables.get(operation.tableName)?.indexNames.includes(indexName))
        uses.push({ resource: this.of(operation.tableName, indexName, 'write'), units });
    return { operation: operation.operation, uses };
  }
}
