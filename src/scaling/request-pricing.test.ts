import { describe, expect, it } from 'vitest';
import type { Item } from './item-size.ts';
import {
  batchGetPrice,
  batchWritePrice,
  getItemPrice,
  minimumReadPrice,
  type PricedTable,
  readPagePrice,
  totalUnits,
  updateSurcharge,
  writePrice,
} from './request-pricing.ts';

/** An item of about `bytes` bytes as DynamoDB sizes it: key "pk" (2 + id) plus "d" (1 + filler). */
function itemOf(id: string, bytes: number, extra: Item = {}): Item {
  return { pk: { S: id }, d: { S: 'x'.repeat(Math.max(0, bytes - 3 - id.length)) }, ...extra };
}

const table: PricedTable = {
  keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  indexes: [
    { indexName: 'byCategory', keySchema: [{ AttributeName: 'category', KeyType: 'HASH' }], projection: { ProjectionType: 'ALL' } },
  ],
};

describe('pricing of DynamoDB requests (docs/aws-facts.md B 1)', () => {
  it('B 1.5/1.6: GetItem rounds the item up to 4 KB; a missing item costs the minimum', () => {
    expect(getItemPrice(itemOf('a', 3_500), true)).toBe(1);
    expect(getItemPrice(itemOf('a', 10 * 1024), true)).toBe(3);
    expect(getItemPrice(itemOf('a', 10 * 1024), false)).toBe(1.5);
    expect(getItemPrice(undefined, true)).toBe(minimumReadPrice(true));
    expect(getItemPrice(undefined, false)).toBe(0.5);
  });

  it('B 1.8: a page is summed, then rounded once (ten 1 KB items cost 3 units, not 10)', () => {
    const items = Array.from({ length: 10 }, (_, i) => itemOf(`p${i}`, 1_024));
    expect(readPagePrice({ items, scannedCount: 10 }, true)).toBe(3);
    expect(readPagePrice({ items: [], scannedCount: 0 }, true)).toBe(1);
  });

  it('B 1.9: items a filter dropped are charged as read (ScannedCount 40, 10 returned: four times the bytes)', () => {
    const items = Array.from({ length: 10 }, (_, i) => itemOf(`p${i}`, 1_024));
    expect(readPagePrice({ items, scannedCount: 40 }, true)).toBe(10);
    expect(readPagePrice({ items, scannedCount: 40 }, false)).toBe(5);
  });

  it('B 1.7: BatchGetItem prices each key on its own (1.5 KB + 6.5 KB -> 4 + 8 KB = 3 units), missing keys at the minimum', () => {
    const found = [itemOf('a', 1_536), itemOf('b', 6_656)];
    expect(batchGetPrice(found, 2, true)).toBe(3);
    expect(batchGetPrice(found, 5, true)).toBe(6);
    expect(batchGetPrice(found, 2, false)).toBe(1.5);
  });

  it('B 1.13/1.18: a write costs the larger of before and after; a GSI pays when the item enters, changes or leaves it', () => {
    const before = itemOf('a', 3 * 1024, { category: { S: 'shoes' } });
    const after = itemOf('a', 500, { category: { S: 'bags' } });
    expect(writePrice(table, undefined, itemOf('a', 500))).toEqual({ table: 1, indexes: { byCategory: 0 } });
    expect(writePrice(table, undefined, after)).toEqual({ table: 1, indexes: { byCategory: 1 } });
    expect(writePrice(table, before, after)).toEqual({ table: 4, indexes: { byCategory: 5 } });
    expect(writePrice(table, before, undefined)).toEqual({ table: 4, indexes: { byCategory: 4 } });
  });

  it('B 1.15: BatchWriteItem prices each put on its own; each delete costs one unit', () => {
    const puts = [itemOf('a', 500), itemOf('b', 3_500, { category: { S: 'shoes' } })];
    const price = batchWritePrice(table, puts, 2);
    expect(price).toEqual({ table: 1 + 4 + 2, indexes: { byCategory: 4 } });
    expect(totalUnits(price)).toBe(11);
  });

  it('UpdateItem admitted on the old item pays the difference once the new item is known, never a refund', () => {
    const admitted = writePrice(table, itemOf('a', 1_000), itemOf('a', 1_000));
    const grown = writePrice(table, itemOf('a', 1_000), itemOf('a', 2_500, { category: { S: 'shoes' } }));
    expect(updateSurcharge(admitted, grown)).toEqual({ table: 2, indexes: { byCategory: 3 } });
    const shrunk = writePrice(table, itemOf('a', 1_000), itemOf('a', 10));
    expect(updateSurcharge(grown, shrunk)).toEqual({ table: 0, indexes: { byCategory: 0 } });
  });
});
