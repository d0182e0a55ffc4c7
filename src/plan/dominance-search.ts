/**
 * Where a candidate sits among the candidates of its kind: they differ only in settings that add capacity (the
 * table's capacity factor, provisioned concurrency, how early a raise comes), each coordinate an index into that
 * setting's options in increasing order.
 */
export interface LatticePosition {
  /** Candidates are compared only within their group. */
  readonly group: string;
  readonly coordinates: readonly number[];
  /**
   * Coordinates along which more capacity may cost nothing more (a raise earlier to a capacity the table already
   * holds): a candidate above one that meets the SLOs along these is simulated, since it may tie on cost and rank first.
   */
  readonly tiesAlong?: readonly number[] | undefined;
}

/** What simulating a candidate said: it meets the SLOs, it fails them, or it could not be judged (refused). */
export type Verdict = 'meets' | 'fails' | 'unjudged';

/** A candidate the search did not simulate, and the simulated one whose verdict decides its own. */
export interface Inferred {
  readonly index: number;
  readonly verdict: 'meets' | 'fails';
  /** It has at least this one's capacity in every setting (meets), or at most (fails). */
  readonly by: number;
}

/** What {@link searchLattice} did: the verdicts it simulated and those it inferred. */
export interface LatticeSearch {
  readonly judged: ReadonlyMap<number, Verdict>;
  readonly inferred: readonly Inferred[];
}

const atLeast = (a: readonly number[], b: readonly number[]) => a.every((value, i) => value >= (b[i] as number));
const sum = (c: readonly number[]) => c.reduce((s, v) => s + v, 0);
/** Least capacity first: by the sum of the coordinates, then coordinate by coordinate. */
function ascending(a: readonly number[], b: readonly number[]): number {
  const bySum = sum(a) - sum(b);
  if (bySum !== 0) return bySum;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}

/**
 * Finds, in each group, every candidate that meets the SLOs with nothing cheaper beside it (the minimal ones),
 * simulating as few as it can. It relies on two properties of the planner's candidates, which docs/planner.md
 * states: more capacity never makes a configuration fail where less met the SLOs, and never costs less. So a
 * candidate at or above one that meets them meets them too and costs at least as much, and one at or below one that
 * fails fails too. Above a meeting one only along coordinates where cost may tie (`tiesAlong`), a candidate is
 * judged all the same: at the same price it may rank first. Candidates are judged from the least capacity up; after a
 * failure, the same first setting with every other setting at its most is tried, which rules out a whole row at once
 * when it fails. Candidates without a position are all judged.
 */
export function searchLattice(positions: readonly (LatticePosition | undefined)[], judge: (index: number) => Verdict): LatticeSearch {
  const judged = new Map<number, Verdict>();
  const inferred: Inferred[] = [];
  const known = new Set<number>();
  const groups = new Map<string, number[]>();
  positions.forEach((position, index) => {
    if (!position) {
      judged.set(index, judge(index));
      known.add(index);
      return;
    }
    const members = groups.get(position.group) ?? [];
    members.push(index);
    groups.set(position.group, members);
  });
  const coordinatesOf = (index: number) => (positions[index] as LatticePosition).coordinates;
  for (const members of groups.values()) {
    const order = [...members].sort((a, b) => ascending(coordinatesOf(a), coordinatesOf(b)) || a - b);
    const decide = (index: number) => {
      const verdict = judge(index);
      judged.set(index, verdict);
      known.add(index);
      if (verdict === 'unjudged') return verdict;
      const here = coordinatesOf(index);
      const ties = (positions[index] as LatticePosition).tiesAlong ?? [];
      for (const other of members) {
        if (known.has(other)) continue;
        const there = coordinatesOf(other);
        const costsMore = atLeast(there, here) && ties.every((i) => there[i] === here[i]);
        if (verdict === 'meets' ? costsMore : atLeast(here, there)) {
          inferred.push({ index: other, verdict, by: index });
          known.add(other);
        }
      }
      return verdict;
    };
    const highest = coordinatesOf(members[0] as number).map((_, i) => Math.max(...members.map((m) => coordinatesOf(m)[i] as number)));
    for (const index of order) {
      if (known.has(index)) continue;
      if (decide(index) !== 'fails') continue;
      // The same first setting at its most in every other: if even that fails, so does everything below it.
      const first = coordinatesOf(index)[0];
      const rowTop = members.find((m) => {
        const c = coordinatesOf(m);
        return c[0] === first && c.every((v, i) => i === 0 || v === highest[i]);
      });
      if (rowTop !== undefined && !known.has(rowTop)) decide(rowTop);
    }
  }
  return { judged, inferred };
}
