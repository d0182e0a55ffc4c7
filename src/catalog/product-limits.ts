/** Limits on product fields; the README's "Product" table quotes these numbers. */
export const productLimits = {
  nameMaxLength: 200,
  descriptionMaxLength: 2_000,
  categoryMaxLength: 50,
  /** Largest price in minor units (100,000,000 = 1,000,000.00 in a two-decimal currency). */
  priceMaxMinor: 100_000_000,
  sizesMaxCount: 20,
  sizeMaxLength: 10,
  colorsMaxCount: 20,
  colorMaxLength: 30,
  stockMax: 1_000_000,
  imageUrlMaxLength: 2_048,
  idMaxLength: 64,
} as const;
