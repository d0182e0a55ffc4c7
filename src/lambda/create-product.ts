import { createProductFunction } from './product-function.ts';

/** CreateProduct: POST /products (idempotent with an Idempotency-Key header). */
export const handler = createProductFunction({ routes: ['createProduct'] });
