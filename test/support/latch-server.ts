import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server that holds every request until released: a function under test fetches it to stay busy
 * for exactly as long as the test wants, so overlap is a fact the test arranges instead of a race it hopes to win.
 */
export interface LatchServer {
  readonly url: string;
  /** Answers every held request, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

export async function startLatchServer(): Promise<LatchServer> {
  const held: ServerResponse[] = [];
  let released = false;
  const server = createServer((_request, response) => {
    if (released) return void response.end('released');
    held.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    release() {
      released = true;
      for (const response of held.splice(0)) response.end('released');
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
