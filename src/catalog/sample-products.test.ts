import { describe, expect, it } from 'vitest';
import { parseProductInput } from './parse-product-input.ts';
import { sampleProducts } from './sample-products.ts';

describe('sample products', () => {
  it('are valid, deterministic for a seed, and unique by id', () => {
    const products = sampleProducts(200, 7, Date.parse('2026-11-29T12:00:00Z'));
    expect(sampleProducts(200, 7, Date.parse('2026-11-29T12:00:00Z'))).toEqual(products);
    expect(new Set(products.map((p) => p.id)).size).toBe(200);
    for (const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...input } of products)
      expect(() => parseProductInput(input)).not.toThrow();
    expect(new Set(products.map((p) => p.category)).size).toBeGreaterThan(4);
  });
});
