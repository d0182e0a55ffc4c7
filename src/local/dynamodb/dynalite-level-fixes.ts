import { createRequire } from 'node:module';

// Fixes to the LevelDB layer under dynalite 4.0.0 (abstract-level 3, memory-level 3, classic-level 3), applied to the
// module instances dynalite itself loads (they are its dependencies, not ours). Each let the local cloud's memory
// grow with traffic or data; test/dynalite-level.test.ts holds each.

interface LevelIteratorClass {
  readonly prototype: { return?: () => Promise<void>; close(): Promise<void> };
}

type StoreMethod = (this: unknown, ...args: unknown[]) => Promise<unknown>;

interface MemoryLevelClass {
  readonly prototype: Record<string, StoreMethod | undefined> & { [unpooledMark]?: true };
}

interface ClassicLevelClass {
  readonly prototype: { _open?: StoreMethod; [smallMemtableMark]?: true };
}

const unpooledMark = Symbol('techmoda.unpooled');
const smallMemtableMark = Symbol('techmoda.smallMemtable');

/**
 * LevelDB's write buffer for a `--data` table, in bytes (docs/decisions/0009). LevelDB's default (4 MB here) is the
 * memtable writes fill before it is written to a table file, held twice while a full one flushes: up to 8 MB of
 * malloc'd memory that a young table has not collected yet, so a soak's early sales could end below its later ones
 * by up to that much. 1 MB bounds it at 2 MB; a flush then comes four times as often.
 */
export const dataDirWriteBufferBytes = 1 << 20;

/** A module as dynalite loads it: the same instance dynalite uses. */
function fromDynalite<T>(moduleName: string): T {
  return createRequire(createRequire(import.meta.url).resolve('dynalite'))(moduleName) as T;
}

/** abstract-level's iterator classes, as dynalite loads them. */
export function dynaliteLevelIterators(): LevelIteratorClass[] {
  const level = fromDynalite<Record<string, LevelIteratorClass>>('abstract-level');
  return ['AbstractIterator', 'AbstractKeyIterator', 'AbstractValueIterator'].flatMap((name) => (level[name] ? [level[name]] : []));
}

/** memory-level's store class, as dynalite loads it. */
export function dynaliteMemoryLevel(): MemoryLevelClass & (new (options: object) => unknown) {
  return fromDynalite<{ MemoryLevel: MemoryLevelClass & (new (options: object) => unknown) }>('memory-level').MemoryLevel;
}

/** classic-level's store class (dynalite's `level` on Node), as dynalite loads it. */
export function dynaliteClassicLevel(): ClassicLevelClass {
  return fromDynalite<{ Level: ClassicLevelClass }>('level').Level;
}

/**
 * dynalite opens its on-disk LevelDB with the defaults and passes no options through. Opening it with a smaller write
 * buffer ({@link dataDirWriteBufferBytes}) bounds the memtable; an option given explicitly still wins.
 */
export function openWithSmallMemtable(): void {
  const prototype = dynaliteClassicLevel().prototype;
  const open = prototype._open;
  if (prototype[smallMemtableMark] || !open) return;
  prototype._open = function smallMemtableOpen(this: unknown, options: unknown, ...rest: unknown[]) {
    return open.call(this, { writeBufferSize: dataDirWriteBufferBytes, ...(options as object) }, ...rest);
  };
  prototype[smallMemtableMark] = true;
}

/**
 * dynalite ends its read streams (every Scan and Query) by calling `iterator.return()`, which abstract-level 3
 * iterators do not have: they have `close()`. So each read left its iterator, and the snapshot of the tree it read,
 * attached to the database until the database closed. Giving the iterators `return()` lets dynalite's clean-up run.
 */
export function closeDynaliteIteratorsOnReturn(): void {
  for (const iterator of dynaliteLevelIterators()) {
    iterator.prototype.return ??= function closeIterator(this: { close(): Promise<void> }) {
      return this.close();
    };
  }
}

/**
 * memory-level keeps the Buffers it is given, and a small Buffer made from a string is a slice of Node's shared
 * 8 KB pool: each stored key or value of a few hundred bytes pinned a whole 8 KB slab, about 8 times the data.
 * Storing an exact-size copy instead (Buffer.allocUnsafeSlow never uses the pool) keeps memory to the data.
 */
export function storeUnpooledBuffers(): void {
  const prototype = dynaliteMemoryLevel().prototype;
  if (prototype[unpooledMark]) return;
  const put = prototype._put;
  const batch = prototype._batch;
  if (!put || !batch) return;
  prototype._put = function unpooledPut(this: unknown, key: unknown, value: unknown, ...rest: unknown[]) {
    return put.call(this, unpooled(key), unpooled(value), ...rest);
  };
  prototype._batch = function unpooledBatch(this: unknown, operations: unknown, ...rest: unknown[]) {
    const copies = (operations as { key: unknown; value?: unknown }[]).map((op) => ({
      ...op,
      key: unpooled(op.key),
      ...('value' in op && { value: unpooled(op.value) }),
    }));
    return batch.call(this, copies, ...rest);
  };
  prototype[unpooledMark] = true;
}

/** An exact-size copy of a pooled Buffer; anything else as it is. */
export function unpooled(data: unknown): unknown {
  if (!Buffer.isBuffer(data) || data.buffer.byteLength === data.byteLength) return data;
  const copy = Buffer.allocUnsafeSlow(data.byteLength);
  data.copy(copy);
  return copy;
}
