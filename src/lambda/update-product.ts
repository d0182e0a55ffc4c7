import { createProductFunction } from './product-function.ts';

/** UpdateProduct: PUT /products/{id} (optimistic concurrency on version). */
export const handler = createProductFunction({ routes: ['replaceProduct'] });
