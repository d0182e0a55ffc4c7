import { describe, expect, it } from 'vitest';
import { indexWriteUnits, readUnits, writeUnits } from './capacity-units.ts';
import { itemSizeBytes } from './item-size.ts';

describe('DynamoDB capacity units (docs/aws-facts.md B 1)', () => {
  it('B 1.2/1.5: reads round up to 4 KB; eventually consistent costs half', () => {
    expect(readUnits(3_500, true)).toBe(1);
    expect(readUnits(8 * 1024, true)).toBe(2);
    expect(readUnits(8 * 1024, false)).toBe(1);
    expect(readUnits(10 * 1024, true)).toBe(3);
  });

  it('B 1.6: a missing item still costs 1 (strong) or 0.5 (eventual)', () => {
    expect(readUnits(0, true)).toBe(1);
    expect(readUnits(0, false)).toBe(0.5);
  });

  it('B 1.8/1.12: a query page is summed then rounded once (40.8 KB -> 44 KB -> 11 units; 80 KB eventual -> 10)', () => {
    expect(readUnits(Math.round(40.8 * 1024), true)).toBe(11);
    expect(readUnits(80 * 1024, false)).toBe(10);
  });

  it('B 1.3/1.13/1.14: writes round up to 1 KB, cost the larger of before and after, at least 1', () => {
    expect(writeUnits(0, 500)).toBe(1);
    expect(writeUnits(0, Math.round(1.6 * 1024))).toBe(2);
    expect(writeUnits(3 * 1024, 100)).toBe(3);
    expect(writeUnits(0, 0)).toBe(1);
  });

  it('B 1.18: GSI writes cost 0, 1 or 2 entry writes', () => {
    const out = { inIndex: false, keyValue: '', sizeBytes: 0 };
    const inShoes = { inIndex: true, keyValue: 'shoes', sizeBytes: 300 };
    expect(indexWriteUnits(out, out)).toBe(0);
    expect(indexWriteUnits(out, inShoes)).toBe(1);
    expect(indexWriteUnits(inShoes, out)).toBe(1);
    expect(indexWriteUnits(inShoes, { ...inShoes, sizeBytes: 400 })).toBe(1);
    expect(indexWriteUnits(inShoes, { ...inShoes, keyValue: 'bags' })).toBe(2);
    expect(indexWriteUnits(out, { ...inShoes, sizeBytes: 2_500 })).toBe(3);
  });

  it('B 1.20: item size is names plus values; numbers ~1 byte per 2 digits + 1; lists and maps + 3 and + 1 per element', () => {
    expect(itemSizeBytes({ id: { S: 'abc' } })).toBe(5);
    expect(itemSizeBytes({ n: { N: '12345' } })).toBe(1 + 4);
    expect(itemSizeBytes({ b: { BOOL: true }, z: { NULL: true } })).toBe(4);
    expect(itemSizeBytes({ l: { L: [{ S: 'ab' }, { N: '1' }] } })).toBe(1 + 3 + (1 + 2) + (1 + 2));
    expect(itemSizeBytes({ m: { M: { k: { S: 'v' } } } })).toBe(1 + 3 + (1 + 1 + 1));
    expect(itemSizeBytes({ e: { L: [] } })).toBe(1 + 3);
    expect(itemSizeBytes({ b: { B: Buffer.from('hello').toString('base64') } })).toBe(1 + 5);
    expect(itemSizeBytes({ s: { S: 'é' } })).toBe(1 + 2);
  });
});
