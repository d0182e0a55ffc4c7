import type { Product } from '../catalog/product.ts';

/** Where a listing resumes: the key of the last item read, as DynamoDB's LastEvaluatedKey. */
export type StoreKey = Readonly<Record<string, string>>;

/** One page request. `category` switches from a full scan to the category index, newest first. */
export interface ListQuery {
  readonly limit: number;
  readonly startKey?: StoreKey | undefined;
  readonly category?: string | undefined;
}

/** One page of products; `nextKey` is absent on the last page. */
export interface ListPage {
  readonly items: readonly Product[];
  readonly nextKey?: StoreKey | undefined;
}

/** Result of a create: `created` is false when an idempotent retry found the product already there. */
export interface CreateOutcome {
  readonly product: Product;
  readonly created: boolean;
}

/** Persistence port of the catalogue. Adapters translate their own failures into catalogue or store errors. */
export interface ProductStore {
  /** The product, or undefined. Strongly consistent so a write is readable at once. */
  get(id: string): Promise<Product | undefined>;
  /**
   * Stores a new product unless one with its id exists. With a `requestFingerprint` (idempotent create), an existing
   * product with the same fingerprint is returned with `created: false`; a different fingerprint raises
   * IdempotencyKeyReusedError.
   */
  create(product: Product, requestFingerprint?: string): Promise<CreateOutcome>;
  /** Replaces the product if its stored version is `expectedVersion`; VersionConflictError or ProductNotFoundError. */
  replace(product: Product, expectedVersion: number): Promise<Product>;
  /** Deletes and returns the product; undefined if absent. With `expectedVersion`, only that version is deleted. */
  delete(id: string, expectedVersion?: number): Promise<Product | undefined>;
  /** One page of products. */
  list(query: ListQuery): Promise<ListPage>;
}
