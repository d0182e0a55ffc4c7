import type { RequestKind } from '../load/load-profile.ts';

/**
 * The request kind of a route of the product API, as `techmoda load`'s mix names them. `GET /products` is `list`:
 * neither the access log's `$context` variables nor CloudWatch's `Resource` dimension carry the query string, so a
 * listing by category cannot be told from one without (`techmoda profile --category-share` splits them).
 */
export type RouteKind = RequestKind;

const kinds: Readonly<Record<string, RouteKind>> = {
  'GET /products': 'list',
  'GET /products/{id}': 'get',
  'POST /products': 'create',
  'PUT /products/{id}': 'update',
  'DELETE /products/{id}': 'delete',
};

/** The kind of `METHOD /resource/path`; undefined for a route the product API does not have. */
export function kindOfRoute(method: string, resourcePath: string): RouteKind | undefined {
  return kinds[`${method.toUpperCase()} ${resourcePath}`];
}

/** Every route with a kind, as `METHOD /path`. */
export const knownRoutes = Object.keys(kinds);
