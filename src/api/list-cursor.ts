import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { categorySchema, productIdSchema } from '../catalog/product.ts';
import type { StoreKey } from '../store/product-store.ts';
import { InvalidCursorError } from './http-errors.ts';

// The cursor carries a DynamoDB key the client could see anyway; the MAC is for integrity (a corrupted, edited or
// other-listing cursor is refused with 400 instead of starting a scan at an arbitrary key), not for secrecy.
const macLength = 16;

const scanKeySchema = z.strictObject({ id: productIdSchema });
const categoryKeySchema = z.strictObject({ id: productIdSchema, category: categorySchema, createdAt: z.iso.datetime() });
const payloadSchema = z.strictObject({ v: z.literal(1), c: categorySchema.nullable(), k: z.record(z.string(), z.string()) });

/** Encodes and checks opaque pagination cursors, bound to one listing (all products, or one category). */
export class ListCursorCodec {
  constructor(private readonly signingKey: string) {}

  /** An opaque cursor that resumes the listing after `key`. */
  encode(key: StoreKey, category: string | undefined): string {
    const payload = Buffer.from(JSON.stringify({ v: 1, c: category ?? null, k: key })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The key inside `cursor`; InvalidCursorError if it was altered or issued for another listing. */
  decode(cursor: string, category: string | undefined): StoreKey {
    const [payload, mac, ...rest] = cursor.split('.');
    if (!payload || !mac || rest.length > 0 || !this.macMatches(payload, mac)) throw new InvalidCursorError();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    const content = payloadSchema.safeParse(parsed);
    if (!content.success || content.data.c !== (category ?? null)) throw new InvalidCursorError();
    const key = (category === undefined ? scanKeySchema : categoryKeySchema).safeParse(content.data.k);
    if (!key.success) throw new InvalidCursorError();
    const storeKey: StoreKey = key.data;
    if (category !== undefined && storeKey.category !== category) throw new InvalidCursorError();
    return storeKey;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.signingKey).update(payload).digest('base64url').slice(0, macLength);
  }

  private macMatches(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
