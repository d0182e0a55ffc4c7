import { describe, expect, it } from 'vitest';
import { RequestMix } from './request-mix.ts';

/** A random source that walks the given rolls in turn. */
const rolls = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

describe('the request mix’s deletes', () => {
  it('delete only products the run created, send a create while there is none, and stop getting what they deleted', () => {
    // Weights: get 1, create 1, delete 1; a roll below 1/3 is a get, below 2/3 a create, else a delete.
    const mix = new RequestMix({ get: 1, create: 1, delete: 1 }, rolls(0.9, 0.5, 0.5), '/prod', 'run');
    mix.learn(
      { kind: 'list', method: 'GET', path: '/prod/products', headers: {}, learn: true },
      200,
      '{"items":[{"id":"catalogue-1","version":1}]}',
    );
    const first = mix.next();
    expect(first.kind).toBe('create'); // nothing of its own to delete yet
    mix.learn(first, 201, '{"id":"mine-1","version":1}');
    const del = mix.next();
    expect(del).toMatchObject({ kind: 'delete', method: 'DELETE', path: '/prod/products/mine-1', headers: { 'if-match': '"1"' } });
    mix.learn(del, 204, '');
    expect([...mix.acknowledgedDeletes]).toEqual(['mine-1']);
    // Gets now choose among what is left: the catalogue's product only.
    expect(mix.knownIds).toBe(1);
  });
});
