import type { z } from 'zod';
import { ValidationError } from './catalog-errors.ts';
import { type ProductInput, productInputSchema, productReplacementSchema } from './product.ts';

/** Validates a create body; ValidationError with one detail per offending field. */
export function parseProductInput(body: unknown): ProductInput {
  return parseWith(productInputSchema, body);
}

/** Validates a replace body, which may also carry the `version` it was based on. */
export function parseProductReplacement(body: unknown): ProductInput & { version?: number | undefined } {
  return parseWith(productReplacementSchema, body);
}

function parseWith<Schema extends z.ZodType>(schema: Schema, body: unknown): z.output<Schema> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const all = result.error.issues.flatMap((issue) => {
    const parent = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: parent ? `${parent}.${key}` : key, message: 'is not a known field' }));
    }
    return [{ field: parent || '(body)', message: issue.message }];
  });
  // One detail per field: the first problem found is the one to fix first.
  const details = [...new Map(all.reverse().map((detail) => [detail.field, detail])).values()].reverse();
  throw new ValidationError(`The product is invalid: ${details.length} problem${details.length === 1 ? '' : 's'}`, details);
}
