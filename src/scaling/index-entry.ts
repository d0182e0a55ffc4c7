import { type Item, itemSizeBytes } from './item-size.ts';

/** A key schema element, as in a CloudFormation template or a DescribeTable answer. */
export interface KeyElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/** A GSI as the capacity accounting needs it. */
export interface IndexShape {
  readonly indexName: string;
  readonly keySchema: readonly KeyElement[];
  readonly projection: Record<string, unknown>;
}

/** Whether and how an item appears in a GSI: the basis of index write units (docs/aws-facts.md B 1.18). */
export function indexEntry(
  item: Item | undefined,
  index: IndexShape,
  tableKey: readonly KeyElement[],
): { inIndex: boolean; keyValue: string; sizeBytes: number } {
  if (!item || !index.keySchema.every((k) => item[k.AttributeName] !== undefined)) return { inIndex: false, keyValue: '', sizeBytes: 0 };
  const keyValue = JSON.stringify(index.keySchema.map((k) => item[k.AttributeName]));
  const type = index.projection.ProjectionType ?? 'ALL';
  if (type === 'ALL') return { inIndex: true, keyValue, sizeBytes: itemSizeBytes(item) };
  const kept = new Set([...tableKey, ...index.keySchema].map((k) => k.AttributeName));
  if (type === 'INCLUDE') for (const name of (index.projection.NonKeyAttributes as string[] | undefined) ?? []) kept.add(name);
  const projected = Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
  return { inIndex: true, keyValue, sizeBytes: itemSizeBytes(projected) };
}
