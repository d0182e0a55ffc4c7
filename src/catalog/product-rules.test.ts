import { describe, expect, it } from 'vitest';
import { productBody } from '../../test/support/product-fixtures.ts';
import { newProduct, productIdForIdempotencyKey, replacedProduct, requestFingerprint } from './product-rules.ts';

describe('product rules', () => {
  it('fingerprints a request independently of field order', () => {
    const body = productBody(1);
    const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(body));
    expect(requestFingerprint(productBody(2))).not.toBe(requestFingerprint(body));
  });

  it('derives a stable URL-safe id from an idempotency key', () => {
    const id = productIdForIdempotencyKey('order-42');
    expect(id).toBe(productIdForIdempotencyKey('order-42'));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(productIdForIdempotencyKey('order-43')).not.toBe(id);
  });

  it('starts products at version 1 and replaces keep id and creation time', () => {
    const first = newProduct('p1', productBody(1), '2026-01-01T00:00:00.000Z');
    const second = replacedProduct(first, productBody(2), '2026-02-01T00:00:00.000Z');
    expect(second).toMatchObject({ id: 'p1', version: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-02-01T00:00:00.000Z' });
  });
});
