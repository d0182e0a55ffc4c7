import { IdempotencyKeyReusedError, ProductNotFoundError, VersionConflictError } from '../catalog/catalog-errors.ts';
import type { Product } from '../catalog/product.ts';
import type { CreateOutcome, ListPage, ListQuery, ProductStore, StoreKey } from './product-store.ts';

interface StoredProduct {
  readonly product: Product;
  readonly requestFingerprint: string | undefined;
}

/**
 * ProductStore in a Map, with the DynamoDB adapter's semantics (checked by the shared contract suite): scans in
 * key order, category listings newest first, conditional writes. For API tests and the planner.
 */
export class InMemoryProductStore implements ProductStore {
  private readonly products = new Map<string, StoredProduct>();

  async get(id: string): Promise<Product | undefined> {
    const stored = this.products.get(id);
    return stored && structuredClone(stored.product);
  }

  async create(product: Product, requestFingerprint?: string): Promise<CreateOutcome> {
    const existing = this.products.get(product.id);
    if (existing) {
      if (requestFingerprint === undefined || existing.requestFingerprint !== requestFingerprint) {
        throw new IdempotencyKeyReusedError();
      }
      return { product: structuredClone(existing.product), created: false };
    }
    this.products.set(product.id, { product: structuredClone(product), requestFingerprint });
    return { product: structuredClone(product), created: true };
  }

  async replace(product: Product, expectedVersion: number): Promise<Product> {
    const existing = this.products.get(product.id);
    if (!existing) throw new ProductNotFoundError(product.id);
    if (existing.product.version !== expectedVersion) {
      throw new VersionConflictError(product.id, expectedVersion, existing.product.version);
    }
    this.products.set(product.id, { ...existing, product: structuredClone(product) });
    return structuredClone(product);
  }

  async delete(id: string, expectedVersion?: number): Promise<Product | undefined> {
    const existing = this.products.get(id);
    if (!existing) return undefined;
    if (expectedVersion !== undefined && existing.product.version !== expectedVersion) {
      throw new VersionConflictError(id, expectedVersion, existing.product.version);
    }
    this.products.delete(id);
    return existing.product;
  }

  async list(query: ListQuery): Promise<ListPage> {
    const all = [...this.products.values()].map((stored) => stored.product);
    const ordered = query.category === undefined ? all.sort(byId) : all.filter((p) => p.category === query.category).sort(newestFirst);
    const start = query.startKey ? ordered.findIndex((p) => isAfter(p, query.startKey as StoreKey, query.category)) : 0;
    const from = start === -1 ? ordered.length : start;
    const items = ordered.slice(from, from + query.limit);
    const last = items.at(-1);
    const more = from + query.limit < ordered.length;
    return { items: items.map((p) => structuredClone(p)), nextKey: more && last ? keyOf(last, query.category) : undefined };
  }
}

function byId(a: Product, b: Product): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function newestFirst(a: Product, b: Product): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return -byId(a, b);
}

function keyOf(product: Product, category: string | undefined): StoreKey {
  return category === undefined ? { id: product.id } : { id: product.id, category, createdAt: product.createdAt };
}

/** Whether `product` comes after the start key in the listing's order. */
function isAfter(product: Product, startKey: StoreKey, category: string | undefined): boolean {
  if (category === undefined) return product.id > (startKey.id ?? '');
  const key = { id: startKey.id ?? '', createdAt: startKey.createdAt ?? '' } as Product;
  return newestFirst(key, product) < 0;
}
