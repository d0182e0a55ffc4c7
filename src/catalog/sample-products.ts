import { createHash } from 'node:crypto';
import { seededRandom } from '../common/seeded-random.ts';
import type { Product } from './product.ts';
import { newProduct } from './product-rules.ts';

const categories = ['dresses', 'tops', 'jeans', 'jackets', 'knitwear', 'shoes', 'bags', 'accessories'] as const;
const adjectives = [
  'Linen',
  'Organic cotton',
  'Merino',
  'Recycled',
  'Vintage-wash',
  'Tailored',
  'Oversized',
  'Cropped',
  'Pleated',
  'Quilted',
];
const nouns: Record<(typeof categories)[number], string[]> = {
  dresses: ['midi dress', 'wrap dress', 'slip dress', 'shirt dress'],
  tops: ['t-shirt', 'blouse', 'tank top', 'polo'],
  jeans: ['straight jeans', 'wide-leg jeans', 'skinny jeans', 'mom jeans'],
  jackets: ['bomber jacket', 'trench coat', 'denim jacket', 'puffer jacket'],
  knitwear: ['cardigan', 'roll-neck jumper', 'knitted vest', 'hoodie'],
  shoes: ['leather sneakers', 'ankle boots', 'loafers', 'sandals'],
  bags: ['tote bag', 'crossbody bag', 'backpack', 'weekender'],
  accessories: ['scarf', 'belt', 'beanie', 'sunglasses'],
};
const colors = ['black', 'white', 'navy', 'sand', 'olive', 'burgundy', 'sky blue', 'charcoal', 'cream', 'rust'];
const sizesByCategory: Record<string, string[]> = {
  shoes: ['36', '37', '38', '39', '40', '41', '42', '43', '44'],
  bags: ['one size'],
  accessories: ['one size'],
};
const clothingSizes = ['XS', 'S', 'M', 'L', 'XL'];

/**
 * `count` realistic catalogue products, the same for the same `seed`: names, categories, prices in EUR, sizes,
 * colours and stock. Creation times spread over the hour before `nowMs`, so category listings have an order.
 */
export function sampleProducts(count: number, seed: number, nowMs: number): Product[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const category = pick(categories);
    const sizes = sizesByCategory[category] ?? clothingSizes;
    const colorCount = 1 + Math.floor(random() * 3);
    const id = createHash('sha256').update(`sample:${seed}:${i}`).digest('base64url').slice(0, 22);
    const at = new Date(nowMs - 3_600_000 + Math.floor((i / Math.max(count, 1)) * 3_600_000)).toISOString();
    return newProduct(
      id,
      {
        name: `${pick(adjectives)} ${pick(nouns[category])}`,
        description: `From the TechModa ${category} collection.`,
        category,
        price: { amountMinor: 990 + Math.floor(random() * 200) * 100 + 9, currency: 'EUR' },
        sizes: sizes.slice(0, Math.max(1, Math.ceil(random() * sizes.length))),
        colors: [...new Set(Array.from({ length: colorCount }, () => pick(colors)))],
        stock: Math.floor(random() * 500),
        imageUrl: `https://images.techmoda.example/${category}/${id}.jpg`,
      },
      at,
    );
  });
}
