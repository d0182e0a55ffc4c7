import { createRequire } from 'node:module';

interface LevelIteratorClass {
  readonly prototype: { return?: () => Promise<void>; close(): Promise<void> };
}

/** abstract-level as dynalite loads it (it is dynalite's dependency, not ours): the same module instance. */
export function dynaliteLevelIterators(): LevelIteratorClass[] {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const level = fromDynalite('abstract-level') as Record<string, LevelIteratorClass>;
  return ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator'].flatMap((name) => (level[name] ? [level[name]] : []));
}

/**
 * dynalite 4.0.0 ends its read streams (every Scan and Query) by calling `iterator.return()`, which abstract-level 3
 * iterators do not have: they have `close()`. So each read left its iterator, and the snapshot of the tree it read,
 * attached to the database until the database closed, and the local cloud's memory grew with every listing (about
 * 10 MB a minute under a flash sale). Giving the iterators `return()` lets dynalite's own clean-up run.
 */
export function closeDynaliteIteratorsOnReturn(): void {
  for (const iterator of dynaliteLevelIterators()) {
    iterator.prototype.return ??= function closeIterator(this: { close(): Promise<void> }) {
      return this.close();
    };
  }
}
