import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const script = new URL('../fixtures/servers/test-server.mjs', import.meta.url).pathname;

/** Starts the test server in its own process; resolves to its base URL and a stop function. */
export async function startTestServer(
  delayMs: number,
  stall?: { atMs: number; forMs: number },
): Promise<{ url: string; stop: () => void }> {
  const args = [String(delayMs), ...(stall ? [String(stall.atMs), String(stall.forMs)] : [])];
  const child: ChildProcess = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve),
  );
  return { url: `http://127.0.0.1:${port}/prod`, stop: () => child.kill() };
}
