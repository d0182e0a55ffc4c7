import type { ProductInput } from '../../src/catalog/product.ts';

const categories = ['dresses', 'shoes', 'jackets', 'bags'] as const;

/** A valid product body; `n` varies the name, category and price. */
export function productBody(n = 0, overrides: Partial<ProductInput> = {}): ProductInput {
  return {
    name: `Linen summer dress ${n}`,
    description: 'Lightweight linen, relaxed fit.',
    category: categories[n % categories.length] as string,
    price: { amountMinor: 4_999 + n, currency: 'EUR' },
    sizes: ['S', 'M', 'L'],
    colors: ['sand', 'navy'],
    stock: 10 + n,
    imageUrl: `https://images.techmoda.example/p/${n}.jpg`,
    ...overrides,
  };
}
