import { indexWriteUnits, readUnits, writeUnits } from './capacity-units.ts';
import { type IndexShape, indexEntry, type KeyElement } from './index-entry.ts';
import { type Item, itemSizeBytes } from './item-size.ts';

/** A table as pricing needs it: its key and its GSIs. */
export interface PricedTable {
  readonly keySchema: readonly KeyElement[];
  readonly indexes: readonly IndexShape[];
}

/** Write units of one request: the table's, and each GSI's (0 for an index the item neither enters nor leaves). */
export interface WritePrice {
  readonly table: number;
  readonly indexes: Readonly<Record<string, number>>;
}

/** One page of a Query or Scan as DynamoDB answered it. */
export interface ReadPage {
  readonly items: readonly Item[];
  /** Items read before the filter (DynamoDB's ScannedCount); equal to the items' count without a filter. */
  readonly scannedCount: number;
}

/** What any read costs before its size is known: the price of reading nothing (B 1.6). */
export function minimumReadPrice(consistent: boolean): number {
  return readUnits(0, consistent);
}

/** GetItem: the item's size rounded up to 4 KB, or the minimum for a missing item (B 1.5, 1.6). */
export function getItemPrice(item: Item | undefined, consistent: boolean): number {
  return readUnits(item ? itemSizeBytes(item) : 0, consistent);
}

/**
 * Query or Scan page: the sizes summed, then rounded once (B 1.8, 1.11). Items a filter dropped are charged too
 * (B 1.9): DynamoDB returns only the survivors, so their mean size stands in for the dropped ones.
 */
export function readPagePrice(page: ReadPage, consistent: boolean): number {
  const returnedBytes = page.items.reduce((sum, item) => sum + itemSizeBytes(item), 0);
  const filtered = page.items.length > 0 && page.scannedCount > page.items.length;
  const readBytes = filtered ? (returnedBytes / page.items.length) * page.scannedCount : returnedBytes;
  return readUnits(readBytes, consistent);
}

/** BatchGetItem on one table: each key priced as its own GetItem, missing ones at the minimum (B 1.7). */
export function batchGetPrice(found: readonly Item[], requestedKeys: number, consistent: boolean): number {
  const missing = Math.max(0, requestedKeys - found.length);
  return found.reduce((sum, item) => sum + getItemPrice(item, consistent), 0) + missing * minimumReadPrice(consistent);
}

/**
 * PutItem, UpdateItem, DeleteItem: the larger of the item before and after, rounded up to 1 KB, at least 1 (B 1.3,
 * 1.13); a failed conditional write costs the same (B 1.14). Each GSI pays for the entries the write changes (B 1.18).
 */
export function writePrice(table: PricedTable, before: Item | undefined, after: Item | undefined): WritePrice {
  const indexes: Record<string, number> = {};
  for (const index of table.indexes)
    indexes[index.indexName] = indexWriteUnits(indexEntry(before, index, table.keySchema), indexEntry(after, index, table.keySchema));
  return { table: writeUnits(before ? itemSizeBytes(before) : 0, after ? itemSizeBytes(after) : 0), indexes };
}

/**
 * BatchWriteItem on one table: each request priced on its own (B 1.15). Puts are priced as new items (the batch
 * does not read what they replace); a delete costs one unit, as its item's size is unknown before it runs.
 */
export function batchWritePrice(table: PricedTable, puts: readonly Item[], deletes: number): WritePrice {
  const indexes: Record<string, number> = {};
  let tableUnits = deletes;
  for (const item of puts) {
    const price = writePrice(table, undefined, item);
    tableUnits += price.table;
    for (const [name, units] of Object.entries(price.indexes)) indexes[name] = (indexes[name] ?? 0) + units;
  }
  return { table: tableUnits, indexes };
}

/**
 * What an UpdateItem still owes once applied. It is admitted on the item as it was (its result is unknown until
 * then); afterwards it pays the difference where the new item costs more, never a refund.
 */
export function updateSurcharge(admitted: WritePrice, actual: WritePrice): WritePrice {
  const indexes: Record<string, number> = {};
  for (const [name, units] of Object.entries(actual.indexes)) indexes[name] = Math.max(0, units - (admitted.indexes[name] ?? 0));
  return { table: Math.max(0, actual.table - admitted.table), indexes };
}

/** Table and index units of a price, added up (what ConsumedCapacity reports as CapacityUnits). */
export function totalUnits(price: WritePrice): number {
  return price.table + Object.values(price.indexes).reduce((sum, units) => sum + units, 0);
}
