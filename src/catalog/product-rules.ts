import { createHash } from 'node:crypto';
import type { Product, ProductInput } from './product.ts';

/**
 * Fingerprint of a create request, stored with the product so a retry with the same Idempotency-Key can be told
 * apart from a different request reusing the key. Keys are sorted so field order does not matter.
 */
export function requestFingerprint(input: ProductInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('base64url');
}

/**
 * The product id for a create that carries an Idempotency-Key: derived from the key, so every retry (even
 * concurrent ones) targets the same item and a conditional put lets exactly one of them create it.
 */
export function productIdForIdempotencyKey(idempotencyKey: string): string {
  return createHash('sha256').update(`idempotency:${idempotencyKey}`).digest('base64url').slice(0, 22);
}

/** A new product at version 1. */
export function newProduct(id: string, input: ProductInput, nowIso: string): Product {
  return { ...input, id, createdAt: nowIso, updatedAt: nowIso, version: 1 };
}

/** The product that replaces `current`: same id and creation time, next version. */
export function replacedProduct(current: Product, input: ProductInput, nowIso: string): Product {
  return { ...input, id: current.id, createdAt: current.createdAt, updatedAt: nowIso, version: current.version + 1 };
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
