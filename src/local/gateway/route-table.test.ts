import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table.ts';

const route = (method: string, resourcePath: string) => ({ method, resourcePath, functionName: 'f', qualifier: undefined });

describe('route table', () => {
  const table = new RouteTable([
    route('GET', '/products'),
    route('GET', '/products/{id}'),
    route('GET', '/products/featured'),
    route('ANY', '/files/{path+}'),
  ]);

  it('prefers literal segments, decodes parameters, and matches greedy paths', () => {
    expect(table.match('GET', '/products/featured')?.route.resourcePath).toBe('/products/featured');
    expect(table.match('GET', '/products/a%20b')).toMatchObject({
      route: { resourcePath: '/products/{id}' },
      pathParameters: { id: 'a b' },
    });
    expect(table.match('GET', '/products')?.pathParameters).toBeNull();
    expect(table.match('DELETE', '/files/a/b/c')?.pathParameters).toEqual({ path: 'a/b/c' });
  });

  it('finds nothing for other methods or paths', () => {
    expect(table.match('POST', '/products')).toBeUndefined();
    expect(table.match('GET', '/products/1/2')).toBeUndefined();
    expect(table.match('GET', '/files')).toBeUndefined();
  });
});
