import { z } from 'zod';
import { productLimits as limits } from './product-limits.ts';

// Intl knows the ISO 4217 codes the runtime supports; validating against it beats a hand-kept list.
const isoCurrencies = new Set(Intl.supportedValuesOf('currency'));

/** Category slug: lower-case words joined by hyphens ("dresses", "running-shoes"). */
export const categorySchema = z
  .string()
  .min(1)
  .max(limits.categoryMaxLength)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a lower-case slug such as "running-shoes"');

/** Product ids are server-generated, URL-safe base64 (no padding). */
export const productIdSchema = z
  .string()
  .min(1)
  .max(limits.idMaxLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, "-" and "_"');

const priceSchema = z.strictObject({
  amountMinor: z.number().int().min(0).max(limits.priceMaxMinor),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as "EUR"')
    .refine((code) => isoCurrencies.has(code), 'is not an ISO 4217 currency code'),
});

const uniqueStrings = (maxCount: number, maxLength: number) =>
  z
    .array(z.string().trim().min(1).max(maxLength))
    .max(maxCount)
    .refine((values) => new Set(values).size === values.length, 'must not repeat a value');

/** What a client sends to create or replace a product. Unknown fields are rejected. */
export const productInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(limits.nameMaxLength),
  description: z.string().max(limits.descriptionMaxLength).default(''),
  category: categorySchema,
  price: priceSchema,
  sizes: uniqueStrings(limits.sizesMaxCount, limits.sizeMaxLength).default([]),
  colors: uniqueStrings(limits.colorsMaxCount, limits.colorMaxLength).default([]),
  stock: z.number().int().min(0).max(limits.stockMax),
  imageUrl: z
    .url({ protocol: /^https$/, error: 'must be an https URL' })
    .max(limits.imageUrlMaxLength)
    .optional(),
});

/** A replacement may carry the version it was based on (alternative to If-Match). */
export const productReplacementSchema = productInputSchema.extend({
  version: z.number().int().min(1).optional(),
});

/** Validated client input for a create or a replace. */
export type ProductInput = z.output<typeof productInputSchema>;

/** A stored product as the API returns it. */
export interface Product extends ProductInput {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Starts at 1 and grows by one on every replace; the basis of optimistic concurrency. */
  readonly version: number;
}
