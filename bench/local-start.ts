// How fast `techmoda local` is ready and how much memory it keeps, three ways in one run: a first start (the
// synthesis runs, in a child process), a start with the synthesis cached, and a start from a given template.
// Ready = the "Ctrl-C stops." line; RSS read from /proc 2 s later. Targets (issue 10): cached ready < 1.5 s, RSS
// after start < 250 MB. Run: npm run bench (or tsx this file).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tunedEnvironment } from '../src/cli/malloc-tuning.ts';

const bin = new URL('../bin/techmoda.js', import.meta.url).pathname;

interface StartFigures {
  readyMs: number;
  rssMb: number;
}

async function start(args: string[]): Promise<StartFigures> {
  const started = performance.now();
  // Already tuned, as `techmoda local` starts itself (malloc-tuning.ts): the pid read below is the cloud's own.
  const child = spawn(process.execPath, [bin, 'local', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: tunedEnvironment(['local']) ?? process.env,
  });
  const readyMs = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.endsWith('Ctrl-C stops.')) resolve(performance.now() - started);
    });
    child.once('exit', (code) => reject(new Error(`techmoda local exited with ${code} before it was ready`)));
  });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const rssMb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('exit', resolve));
  return { readyMs, rssMb };
}

const figures: [string, StartFigures][] = [];
figures.push(['first start (synthesis in a child, --no-cache)', await start(['--no-cache'])]);
for (let i = 1; i <= 3; i++) figures.push([`cached start #${i}`, await start([])]);
const cacheDir = new URL('../node_modules/.cache/techmoda/', import.meta.url).pathname;
const newest = readdirSync(cacheDir)
  .filter((name) => name.startsWith('synth-'))
  .sort((a, b) => statSync(cacheDir + b).mtimeMs - statSync(cacheDir + a).mtimeMs)[0];
const template = `${cacheDir}${newest}/${readFileSync(`${cacheDir}${newest}/template-path.txt`, 'utf8').trim()}`;
figures.push(['--template (the same synthesized template)', await start(['--template', template])]);
for (const [name, f] of figures) console.log(`${name.padEnd(48)} ready ${(f.readyMs / 1000).toFixed(2)} s   RSS ${f.rssMb.toFixed(0)} MB`);
