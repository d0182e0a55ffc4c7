import { createProductFunction } from './product-function.ts';

/** DeleteProduct: DELETE /products/{id}. */
export const handler = createProductFunction({ routes: ['deleteProduct'] });
