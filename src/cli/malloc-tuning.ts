import { constants } from 'node:os';
import { commands } from './commands.ts';

/**
 * glibc malloc settings for a process that hosts the local cloud (docs/decisions/0007). glibc reads them once, at
 * the process's first allocation, so they must be in the environment before Node starts: a command that hosts the
 * cloud starts itself again with them when they are missing.
 * - MALLOC_ARENA_MAX=2: every thread that allocates gets an arena of its own by default, up to 8 per core; the
 *   cloud's function workers, libuv's pool and V8's helpers each fragmented one, and the soak's malloc share grew
 *   sale after sale with flat V8 heaps.
 * - MALLOC_MMAP_THRESHOLD_=131072: a fixed threshold turns off glibc's dynamic one, which after each large free rises
 *   (up to 32 MB) so that later large buffers land in the arenas and pin them; fixed, they are mapped and unmapped.
 */
export const mallocTuning: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** Whether the command line hosts the local cloud in its process, as its command's entry says (commands.ts). */
export function hostsLocalCloud(argv: readonly string[]): boolean {
  const [name, ...rest] = argv;
  if (rest.includes('--help') || rest.includes('-h')) return false;
  return commands.find((command) => command.name === name)?.hostsLocalCloud?.(rest) ?? false;
}

/** The environment to start again with, or undefined when this process needs no restart (tuned, or not glibc). */
export function tunedEnvironment(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): NodeJS.ProcessEnv | undefined {
  // TECHMODA_MALLOC=default keeps glibc's defaults, to measure against them.
  if (platform !== 'linux' || env.TECHMODA_MALLOC === 'default' || !hostsLocalCloud(argv)) return undefined;
  if (Object.keys(mallocTuning).every((name) => env[name] !== undefined)) return undefined;
  return { ...mallocTuning, ...env };
}

type Execve = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => never;

/**
 * Starts this command again with the malloc tuning when it needs it, and resolves to its exit code; resolves to
 * undefined when the command should run here. Node 22.15 and later replace the process in place (process.execve: the
 * same pid, no second process); Node 20 runs a child in its own process group, so a terminal's Ctrl-C reaches it
 * once, through this process, which forwards each signal it gets and exits as the child does.
 */
export async function relaunchTuned(argv: readonly string[]): Promise<number | undefined> {
  const env = tunedEnvironment(argv);
  if (!env) return undefined;
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve === 'function') execve(process.execPath, [process.execPath, ...args], env);
  // Loaded here: only Node 20 needs a child, and every other command starts without it.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, args, { stdio: 'inherit', env, detached: true });
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const signal of signals) process.on(signal, forward);
  // The child must not outlive this process, however this process ends.
  process.once('exit', () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const name of signals) process.off(name, forward);
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
