import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../common/usage-error.ts';

/** Options of {@link cachedSynthesis}. */
export interface SynthesisCacheOptions {
  /** Synthesize afresh even when the cache has this stack (`--no-cache`). @default false */
  readonly noCache?: boolean;
  /** Where progress lines go. */
  readonly print?: (line: string) => void;
  /** The repository whose infra/ and src/ are synthesized. @default this package's root */
  readonly rootDir?: string;
  /** Synthesized stacks kept; older ones are removed (a plan uses two, the tests several). @default 8 */
  readonly keep?: number;
}

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const childEntry = fileURLToPath(new URL('./synthesize-child.ts', import.meta.url));
const templateFile = 'template-path.txt';

/**
 * The template `npm run synth` would produce with `context`, synthesized in a child process and cached under
 * node_modules/.cache/techmoda, keyed by a hash of infra/, the function sources (src/), the lockfile, cdk.json and
 * the context. A hit skips the CDK entirely (no aws-cdk-lib in this process); a miss pays one synth.
 */
export async function cachedSynthesis(context: Record<string, string>, options: SynthesisCacheOptions = {}): Promise<string> {
  const rootDir = options.rootDir ?? packageRoot;
  const cacheDir = join(rootDir, 'node_modules', '.cache', 'techmoda');
  const key = synthesisKey(rootDir, context);
  const entryDir = join(cacheDir, `synth-${key}`);
  const recorded = join(entryDir, templateFile);
  if (!options.noCache && existsSync(recorded)) {
    options.print?.(`Using the synthesized stack cached for this source and context (${key.slice(0, 12)}; --no-cache synthesizes afresh)`);
    return join(entryDir, readFileSync(recorded, 'utf8').trim());
  }
  // A plan synthesizes two contexts at once: the line says which one this is.
  const given = Object.entries(context).map(([name, value]) => `${name}=${value}`);
  options.print?.(
    `Synthesizing the stack${given.length > 0 ? ` with ${given.join(', ')}` : ''} (CDK + esbuild, in a child process; cached for the next start)...`,
  );
  const workDir = join(cacheDir, `tmp-${key}-${process.pid}`);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const templatePath = await synthesizeInChild(context, workDir, rootDir);
  writeFileSync(join(workDir, templateFile), relative(workDir, templatePath));
  rmSync(entryDir, { recursive: true, force: true });
  renameSync(workDir, entryDir); // complete or absent: a crash mid-synth never leaves a half entry behind
  prune(cacheDir, options.keep ?? 8);
  return join(entryDir, relative(workDir, templatePath));
}

/** Hash of everything the synthesized template and bundles depend on. */
export function synthesisKey(rootDir: string, context: Record<string, string>): string {
  const hash = createHash('sha256');
  const files = ['package-lock.json', 'cdk.json', ...sourceFiles(rootDir, 'infra'), ...sourceFiles(rootDir, 'src')];
  for (const file of files) {
    const path = join(rootDir, file);
    hash.update(`${file}\0`);
    if (existsSync(path)) hash.update(readFileSync(path));
    hash.update('\0');
  }
  hash.update(JSON.stringify(Object.entries(context).sort(([a], [b]) => (a < b ? -1 : 1))));
  return hash.digest('hex');
}

function sourceFiles(rootDir: string, dir: string): string[] {
  const absolute = join(rootDir, dir);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs|js|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts'))
    .map((entry) => relative(rootDir, join(entry.parentPath, entry.name)))
    .sort();
}

function synthesizeInChild(context: Record<string, string>, outdir: string, rootDir: string): Promise<string> {
  return new Promise((resolvePath, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', childEntry, outdir, JSON.stringify(context)],
      { cwd: rootDir, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error)
          return resolvePath(
            resolve(outdir, (JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { templatePath: string }).templatePath),
          );
        const message = stderr.trim().split('\n').pop() || error.message;
        reject(error.code === 2 ? new UsageError(message) : new Error(`synthesis failed: ${message}`));
      },
    );
  });
}

/** Keeps the `keep` most recently written entries. */
function prune(cacheDir: string, keep: number): void {
  const entries = readdirSync(cacheDir)
    .filter((name) => name.startsWith('synth-'))
    .map((name) => ({ path: join(cacheDir, name), writtenMs: statSync(join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.writtenMs - a.writtenMs);
  for (const stale of entries.slice(keep)) rmSync(stale.path, { recursive: true, force: true });
}
