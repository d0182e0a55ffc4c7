import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Extra routes served beside the API on the same port (the local cloud's /_local endpoints, the AWS APIs): a route
 * answers and resolves true, or resolves false to let the next one try.
 */
export type SideRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => boolean | Promise<boolean>;
