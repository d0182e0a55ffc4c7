import { describe, expect, it } from 'vitest';
import { type LatticePosition, searchLattice, type Verdict } from './dominance-search.ts';

/** Every point of a grid of the given sizes, in one group. */
function grid(group: string, sizes: readonly number[]): LatticePosition[] {
  let points: number[][] = [[]];
  for (const size of sizes) points = points.flatMap((p) => Array.from({ length: size }, (_, v) => [...p, v]));
  return points.map((coordinates) => ({ group, coordinates }));
}

/** A monotone verdict: meets when the weighted sum of coordinates reaches a threshold. */
const threshold =
  (positions: readonly LatticePosition[], weights: readonly number[], at: number) =>
  (index: number): Verdict =>
    (positions[index] as LatticePosition).coordinates.reduce((s, v, i) => s + v * (weights[i] as number), 0) >= at ? 'meets' : 'fails';

const minimalMeeting = (positions: readonly LatticePosition[], meets: (index: number) => boolean) =>
  positions
    .map((_, i) => i)
    .filter((i) => meets(i))
    .filter((i) =>
      positions.every(
        (other, j) =>
          j === i ||
          !meets(j) ||
          other.group !== (positions[i] as LatticePosition).group ||
          !other.coordinates.every((v, k) => v <= ((positions[i] as LatticePosition).coordinates[k] as number)),
      ),
    );

describe('the search over candidates ordered by capacity', () => {
  it.each([
    // Every setting counts alike: the boundary is a diagonal of 31 candidates, which all must be simulated.
    { weights: [1, 1, 1], at: 4, atMost: 40 },
    // The capacity factor decides (as in a day's sale): a few rows' worth.
    { weights: [3, 1, 0], at: 7, atMost: 12 },
    { weights: [1, 0, 2], at: 1, atMost: 6 },
    { weights: [2, 1, 1], at: 100, atMost: 10 },
    { weights: [1, 1, 1], at: 0, atMost: 1 },
  ])('simulates every cheapest candidate that meets the SLOs and infers the rest correctly ($weights, $at)', ({ weights, at, atMost }) => {
    const positions = grid('raise', [5, 3, 4]);
    const verdict = threshold(positions, weights, at);
    const calls: number[] = [];
    const { judged, inferred } = searchLattice(positions, (i) => {
      calls.push(i);
      return verdict(i);
    });
    for (const i of minimalMeeting(positions, (j) => verdict(j) === 'meets')) expect(judged.get(i)).toBe('meets');
    for (const { index, verdict: said, by } of inferred) {
      expect(said).toBe(verdict(index));
      expect(judged.get(by)).toBe(said);
    }
    expect(new Set(calls).size).toBe(calls.length);
    expect(judged.size + inferred.length).toBe(positions.length);
    expect(calls.length).toBeLessThanOrEqual(atMost);
  });

  it('a failing row is ruled out by its highest point, and groups are searched apart', () => {
    const positions = [...grid('a', [5, 3]), ...grid('b', [5, 3])];
    // Group a meets from its third capacity factor on, whatever the second setting; group b never meets.
    const verdict = (i: number): Verdict =>
      (positions[i] as LatticePosition).group === 'a' && ((positions[i] as LatticePosition).coordinates[0] as number) >= 2
        ? 'meets'
        : 'fails';
    const { judged } = searchLattice(positions, verdict);
    // a: (0,0) and its row's top (0,2) fail, (1,0) and (1,2) fail, (2,0) meets. b: each row's two, and the top.
    expect([...judged.keys()].filter((i) => (positions[i] as LatticePosition).group === 'a')).toHaveLength(5);
    expect([...judged.entries()].filter(([, v]) => v === 'meets').map(([i]) => positions[i])).toEqual([
      { group: 'a', coordinates: [2, 0] },
    ]);
  });

  it('judges every candidate without a position, and infers nothing from one refused', () => {
    const positions = [undefined, ...grid('g', [2, 2]), undefined];
    const { judged, inferred } = searchLattice(positions, (i) => (i === 1 ? 'unjudged' : 'meets'));
    expect(judged.get(0)).toBe('meets');
    expect(judged.get(5)).toBe('meets');
    expect(judged.get(1)).toBe('unjudged');
    // (0,1) and (1,0) meet; (1,1) is above both.
    expect(inferred).toEqual([{ index: 4, verdict: 'meets', by: 2 }]);
  });

  it('judges candidates above a meeting one along a coordinate where cost may tie, and infers across the others', () => {
    const positions = grid('raise', [3, 3]).map((p) => ({ ...p, tiesAlong: [1] }));
    const { judged, inferred } = searchLattice(positions, () => 'meets');
    // (0,0) meets: (0,1) and (0,2) differ only along the tying coordinate and are judged; the rest are above them.
    expect([...judged.keys()].map((i) => positions[i]?.coordinates)).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
    expect(inferred).toHaveLength(6);
  });
});
