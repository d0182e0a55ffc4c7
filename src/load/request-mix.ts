import type { RequestKind } from './load-profile.ts';
import type { MixWeights } from './step-mix.ts';

/** A request the generator will send. */
export interface PlannedRequest {
  readonly kind: RequestKind;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Whether the response body should be read for ids and versions. */
  readonly learn: boolean;
}

/** Categories the catalogue uses; listings by category pick one. */
export const categories = ['dresses', 'tops', 'jeans', 'jackets', 'knitwear', 'shoes', 'bags', 'accessories'] as const;
const names = ['Linen midi dress', 'Merino cardigan', 'Wide-leg jeans', 'Leather sneakers', 'Quilted jacket', 'Tote bag'];

/** Keep learning ids from listings until this many are known; beyond it, list bodies are not parsed. */
const enoughKnownIds = 2_000;

/**
 * Picks each request from the profile's weighted mix and builds it: listings, gets of ids it created or listed,
 * creates of valid products (with an Idempotency-Key), updates with the version it last saw, deletes of products
 * this run created (never the catalogue's own: a sale's gets would start to miss). With nothing of its own to delete
 * yet, a delete is sent as a create. Deterministic for a given random source.
 */
export class RequestMix {
  private readonly kinds: RequestKind[];
  private readonly cumulative: number[];
  private readonly ids: string[] = [];
  private readonly versions = new Map<string, number>();
  private created = 0;
  private readonly listings = new Map<string, PlannedRequest>();
  /** Ids of products whose creation was acknowledged with 201. */
  readonly acknowledgedCreates: string[] = [];
  /** Ids of this run's products whose deletion was acknowledged with 204. */
  readonly acknowledgedDeletes = new Set<string>();
  /** This run's products not yet sent a delete. */
  private readonly deletable: string[] = [];
  /** The `Authorization` header value writes carry (a back-office access token), when the target asks for one. */
  authorization: string | undefined;
  /** Cumulative weights of the step mixes seen, by the mix object. */
  private readonly tables = new WeakMap<MixWeights, { kinds: RequestKind[]; cumulative: number[] }>();

  constructor(
    weights: Partial<Record<RequestKind, number>>,
    private readonly random: () => number,
    private readonly basePath: string,
    private readonly runId: string,
  ) {
    const table = cumulativeOf(weights);
    this.kinds = table.kinds;
    this.cumulative = table.cumulative;
  }

  /** Ids learned so far. */
  get knownIds(): number {
    return this.ids.length;
  }

  /** The header a write adds for the authorizer. */
  private writer(): Record<string, string> {
    return this.authorization === undefined ? {} : { authorization: this.authorization };
  }

  /** The next request of the mix, or of `weights` (a traced step's own mix) when given. */
  next(weights?: MixWeights): PlannedRequest {
    let { kinds, cumulative } = this;
    if (weights) {
      let table = this.tables.get(weights);
      if (!table) {
        table = cumulativeOf(weights);
        this.tables.set(weights, table);
      }
      ({ kinds, cumulative } = table);
    }
    const total = cumulative[cumulative.length - 1] ?? 1;
    const roll = this.random() * total;
    const kind = kinds[cumulative.findIndex((c) => roll < c)] ?? (kinds[0] as RequestKind);
    return this.build(kind);
  }

  /** Learns ids and versions from a response. */
  learn(request: PlannedRequest, statusCode: number, body: string | undefined): void {
    if (request.kind === 'delete') {
      if (statusCode === 204) this.acknowledgedDeletes.add(idOf(request));
      return;
    }
    if (!body) return;
    try {
      if (request.kind === 'create' && statusCode === 201) {
        const product = JSON.parse(body);
        this.remember(product.id, product.version);
        this.acknowledgedCreates.push(product.id);
        this.deletable.push(product.id);
      } else if (request.kind === 'update' && statusCode === 200) {
        const product = JSON.parse(body);
        this.versions.set(product.id, product.version);
      } else if ((request.kind === 'list' || request.kind === 'listByCategory') && statusCode === 200) {
        for (const item of JSON.parse(body).items ?? []) this.remember(item.id, item.version);
      }
    } catch {
      // A body that is not the API's JSON teaches nothing; the outcome is still counted.
    }
  }

  /** Forgets the version of a product that answered 412 (someone else updated it). */
  stale(request: PlannedRequest): void {
    this.versions.delete(idOf(request));
  }

  private remember(id: unknown, version: unknown): void {
    if (typeof id !== 'string') return;
    if (!this.versions.has(id) && !this.ids.includes(id)) this.ids.push(id);
    if (typeof version === 'number') this.versions.set(id, version);
  }

  private build(kind: RequestKind): PlannedRequest {
    const learnListing = this.ids.length < enoughKnownIds;
    switch (kind) {
      case 'list':
        return this.listing(kind, `${this.basePath}/products?limit=20`, learnListing);
      case 'listByCategory':
        return this.listing(kind, `${this.basePath}/products?limit=20&category=${this.pick(categories)}`, learnListing);
      case 'get': {
        const id = this.ids.length > 0 ? this.pick(this.ids) : undefined;
        return id
          ? { kind, method: 'GET', path: `${this.basePath}/products/${encodeURIComponent(id)}`, headers: {}, learn: false }
          : this.build('list');
      }
      case 'create':
        this.created += 1;
        return {
          kind,
          method: 'POST',
          path: `${this.basePath}/products`,
          headers: { 'content-type': 'application/json', 'idempotency-key': `${this.runId}-${this.created}`, ...this.writer() },
          body: JSON.stringify(this.product()),
          learn: true,
        };
      case 'update': {
        const updatable = [...this.versions.keys()];
        const id = updatable.length > 0 ? this.pick(updatable) : undefined;
        if (!id) return this.build('get');
        return {
          kind,
          method: 'PUT',
          path: `${this.basePath}/products/${encodeURIComponent(id)}`,
          headers: { 'content-type': 'application/json', 'if-match': `"${this.versions.get(id)}"`, ...this.writer() },
          body: JSON.stringify(this.product()),
          learn: true,
        };
      }
      case 'delete': {
        const id = this.deletable.pop();
        if (id === undefined) return this.build('create');
        // Gets and updates stop choosing it now: after the delete they would answer 404.
        const known = this.ids.indexOf(id);
        if (known >= 0) this.ids.splice(known, 1);
        const version = this.versions.get(id);
        this.versions.delete(id);
        return {
          kind,
          method: 'DELETE',
          path: `${this.basePath}/products/${encodeURIComponent(id)}`,
          headers: { ...(version !== undefined && { 'if-match': `"${version}"` }), ...this.writer() },
          learn: true,
        };
      }
    }
  }

  /** Listings repeat: one immutable request object per path serves them all (no allocation per request). */
  private listing(kind: 'list' | 'listByCategory', path: string, learn: boolean): PlannedRequest {
    const key = `${learn}${path}`;
    let request = this.listings.get(key);
    if (!request) {
      request = Object.freeze({ kind, method: 'GET', path, headers: {}, learn });
      this.listings.set(key, request);
    }
    return request;
  }

  private product() {
    return {
      name: `${this.pick(names)} ${Math.floor(this.random() * 1000)}`,
      description: 'Created by techmoda load.',
      category: this.pick(categories),
      price: { amountMinor: 990 + Math.floor(this.random() * 20_000), currency: 'EUR' },
      sizes: ['S', 'M', 'L'],
      colors: ['black'],
      stock: Math.floor(this.random() * 500),
    };
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }
}

/** Kinds with a weight above 0 and their running sums, for drawing a kind by weight. */
function cumulativeOf(weights: MixWeights): { kinds: RequestKind[]; cumulative: number[] } {
  const entries = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as [RequestKind, number][];
  let sum = 0;
  return { kinds: entries.map(([kind]) => kind), cumulative: entries.map(([, w]) => (sum += w)) };
}

/** The product id at the end of a request's path. */
function idOf(request: PlannedRequest): string {
  return decodeURIComponent(request.path.split('/').pop() ?? '');
}
