/** Bytes in one read unit (4 KB) and one write unit (1 KB); KB = 1,024 bytes (docs/aws-facts.md B 1.1-1.4). */
export const readUnitBytes = 4_096;
export const writeUnitBytes = 1_024;

/**
 * Read units for one read of `sizeBytes` (GetItem: one item; Query/Scan: the page's items summed, rounded once).
 * A missing item still costs one unit (B 1.6); eventually consistent reads cost half (B 1.1, 1.5, 1.8).
 */
export function readUnits(sizeBytes: number, consistent: boolean): number {
  const units = Math.max(1, Math.ceil(sizeBytes / readUnitBytes));
  return consistent ? units : units / 2;
}

/**
 * Write units for a write whose item is `beforeBytes` before and `afterBytes` after (0 when absent): the larger of
 * the two, rounded up to 1 KB, at least one unit (B 1.3, 1.13, 1.14).
 */
export function writeUnits(beforeBytes: number, afterBytes: number): number {
  return Math.max(1, Math.ceil(Math.max(beforeBytes, afterBytes) / writeUnitBytes));
}

/**
 * Write units a table write costs on one GSI (B 1.18): 0 when the item is in the index neither before nor after,
 * 1 entry write when it enters, leaves or changes non-key attributes, 2 when its index key changes (delete + put).
 * Each entry write costs its projected size in 1 KB units.
 */
export function indexWriteUnits(
  before: { inIndex: boolean; keyValue: string; sizeBytes: number },
  after: { inIndex: boolean; keyValue: string; sizeBytes: number },
): number {
  const entry = (bytes: number) => Math.max(1, Math.ceil(bytes / writeUnitBytes));
  if (!before.inIndex && !after.inIndex) return 0;
  if (!before.inIndex) return entry(after.sizeBytes);
  if (!after.inIndex) return entry(before.sizeBytes);
  if (before.keyValue !== after.keyValue) return entry(before.sizeBytes) + entry(after.sizeBytes);
  return entry(after.sizeBytes);
}
