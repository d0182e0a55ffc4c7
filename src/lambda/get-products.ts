import { createProductFunction } from './product-function.ts';

/** GetProducts: GET /products and GET /products/{id}. */
export const handler = createProductFunction({ routes: ['listProducts', 'getProduct'] });
