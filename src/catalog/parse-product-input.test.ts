import { describe, expect, it } from 'vitest';
import { productBody } from '../../test/support/product-fixtures.ts';
import { ValidationError } from './catalog-errors.ts';
import { parseProductInput, parseProductReplacement } from './parse-product-input.ts';
import { productLimits } from './product-limits.ts';

function fieldsOf(body: unknown): string[] {
  try {
    parseProductInput(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).details?.map((d) => d.field) ?? [];
  }
  return [];
}

describe('product validation', () => {
  it('accepts a valid product and applies defaults', () => {
    const { description: _d, sizes: _s, colors: _c, imageUrl: _i, ...minimal } = productBody(1);
    expect(parseProductInput(minimal)).toEqual({ ...minimal, description: '', sizes: [], colors: [] });
  });

  it('requires name, category, price and stock', () => {
    expect(fieldsOf({}).sort()).toEqual(['category', 'name', 'price', 'stock']);
  });

  it('enforces lengths and ranges at their limits', () => {
    expect(fieldsOf(productBody(1, { name: 'x'.repeat(productLimits.nameMaxLength) }))).toEqual([]);
    expect(fieldsOf(productBody(1, { name: 'x'.repeat(productLimits.nameMaxLength + 1) }))).toEqual(['name']);
    expect(fieldsOf(productBody(1, { stock: productLimits.stockMax + 1 }))).toEqual(['stock']);
    expect(fieldsOf(productBody(1, { stock: -1 }))).toEqual(['stock']);
    expect(fieldsOf(productBody(1, { price: { amountMinor: productLimits.priceMaxMinor + 1, currency: 'EUR' } }))).toEqual([
      'price.amountMinor',
    ]);
    expect(fieldsOf(productBody(1, { sizes: Array.from({ length: 21 }, (_, i) => `S${i}`) }))).toEqual(['sizes']);
  });

  it('checks formats: category slug, ISO 4217 currency, https image URL, unique sizes', () => {
    expect(fieldsOf(productBody(1, { category: 'Summer Dresses' }))).toEqual(['category']);
    expect(fieldsOf(productBody(1, { price: { amountMinor: 1, currency: 'eur' } }))).toEqual(['price.currency']);
    expect(fieldsOf(productBody(1, { price: { amountMinor: 1, currency: 'ABC' } }))).toEqual(['price.currency']);
    expect(fieldsOf(productBody(1, { imageUrl: 'http://insecure.example/x.jpg' }))).toEqual(['imageUrl']);
    expect(fieldsOf(productBody(1, { sizes: ['M', 'M'] }))).toEqual(['sizes']);
  });

  it('rejects unknown fields, also nested, and server-owned fields', () => {
    expect(fieldsOf({ ...productBody(1), id: 'mine', price: { amountMinor: 1, currency: 'EUR', vat: 2 } }).sort()).toEqual([
      'id',
      'price.vat',
    ]);
  });

  it('lets a replacement carry its version, nothing else extra', () => {
    expect(parseProductReplacement({ ...productBody(1), version: 3 }).version).toBe(3);
    expect(() => parseProductReplacement({ ...productBody(1), version: 0 })).toThrow(ValidationError);
  });
});
