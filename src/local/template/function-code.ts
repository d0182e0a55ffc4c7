import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { AppError } from '../../common/app-error.ts';

/**
 * Where a function's code is and which module and export its Handler names, found the way `sam local` finds them
 * (A8): a CDK asset directory (`aws:asset:path`), or the `CodeUri` directory relative to the template, preferring
 * `.aws-sam/build/<LogicalId>` when `sam build` made it. The Handler splits at the first dot of its file name (the
 * Node.js runtime's rule: `src/getProducts.handler` is module `src/getProducts`, export `handler`), and the module is
 * `.js`, `.mjs` or `.cjs`. A function whose Metadata asks for `BuildMethod: esbuild` is bundled here, as `sam build`
 * would, with the AWS SDK left out (the runtime provides it).
 */

/** A function's code cannot be found or built; names the resource and the property. */
export class FunctionCodeError extends AppError {
  constructor(message: string) {
    super('TEMPLATE_INVALID', message);
  }
}

/** The code the local runtime loads. */
export interface FunctionCode {
  readonly codeDir: string;
  readonly handlerModule: string;
  readonly handlerExport: string;
}

const moduleExtensions = ['.js', '.mjs', '.cjs'];
const buildRoot = resolve(import.meta.dirname, '../../../node_modules/.cache/techmoda/sam-build');

/** Locates (and if asked, builds) one function's code. */
export function functionCode(
  logicalId: string,
  handler: string,
  metadata: Readonly<Record<string, unknown>>,
  templateDir: string,
): FunctionCode {
  if (handler.includes('..')) throw new FunctionCodeError(`function ${logicalId}: Handler ${handler} may not contain '..'`);
  const { module, exportName } = splitHandler(handler);
  const asset = metadata['aws:asset:path'];
  const codeUri = metadata['techmoda:CodeUri'];
  if (typeof asset === 'string') return { codeDir: join(templateDir, asset), handlerModule: module, handlerExport: exportName };
  if (typeof codeUri !== 'string')
    throw new FunctionCodeError(
      `function ${logicalId} has no local code: give CodeUri a directory (SAM) or synthesize with bundling (CDK, Metadata aws:asset:path)`,
    );
  if (codeUri.startsWith('s3://') || codeUri === 'techmoda-local')
    throw new FunctionCodeError(`function ${logicalId}: CodeUri ${codeUri} is in S3; techmoda local runs code from a local directory`);
  const built = join(templateDir, '.aws-sam', 'build', logicalId);
  if (existsSync(built) && statSync(built).isDirectory()) {
    // sam build moves the handler to the top of the build directory when its own path is not there (A9).
    const found = findModule(built, module) ? module : findModule(built, basename(module)) ? basename(module) : undefined;
    if (found) return { codeDir: built, handlerModule: found, handlerExport: exportName };
  }
  const codeDir = resolve(templateDir, codeUri);
  if (!existsSync(codeDir) || !statSync(codeDir).isDirectory())
    throw new FunctionCodeError(`function ${logicalId}: CodeUri directory ${relative(process.cwd(), codeDir) || '.'} does not exist`);
  if (metadata.BuildMethod === 'esbuild') return bundle(logicalId, codeDir, module, exportName, metadata.BuildProperties);
  if (!findModule(codeDir, module))
    throw new FunctionCodeError(
      `function ${logicalId}: Handler ${handler} names ${module}${moduleExtensions.join('|')} in ${relative(process.cwd(), codeDir) || '.'}, which does not exist`,
    );
  return { codeDir, handlerModule: module, handlerExport: exportName };
}

/** `dir/file.a.b` -> module `dir/file`, export `a.b` (the first dot of the file name). */
export function splitHandler(handler: string): { module: string; exportName: string } {
  const dir = dirname(handler);
  const base = basename(handler);
  const dot = base.indexOf('.');
  if (dot <= 0 || dot === base.length - 1) return { module: handler, exportName: 'handler' };
  return { module: dir === '.' ? base.slice(0, dot) : `${dir}/${base.slice(0, dot)}`, exportName: base.slice(dot + 1) };
}

function findModule(dir: string, module: string): string | undefined {
  return moduleExtensions.map((ext) => join(dir, module + ext)).find((path) => existsSync(path));
}

/** `sam build`'s esbuild workflow (A9): the entry point (default: the handler's module, .ts included), bundled to CommonJS. */
function bundle(logicalId: string, codeDir: string, module: string, exportName: string, buildProperties: unknown): FunctionCode {
  const properties = (buildProperties ?? {}) as {
    EntryPoints?: unknown;
    Format?: unknown;
    Minify?: unknown;
    External?: unknown;
    Target?: unknown;
  };
  const entry = Array.isArray(properties.EntryPoints) ? String(properties.EntryPoints[0]) : module;
  const candidates = extname(entry) ? [entry] : ['.ts', '.mts', '.js', '.mjs'].map((ext) => entry + ext);
  const entryPath = candidates.map((name) => join(codeDir, name)).find((path) => existsSync(path) && statSync(path).isFile());
  if (!entryPath) throw new FunctionCodeError(`function ${logicalId}: esbuild entry point ${entry} (.ts or .js) not found in ${codeDir}`);
  const outDir = join(buildRoot, createHash('sha256').update(entryPath).digest('hex').slice(0, 16), logicalId);
  const format = properties.Format === 'esm' ? 'esm' : 'cjs';
  const outName = basename(module);
  try {
    buildSync({
      entryPoints: [entryPath],
      outfile: join(outDir, `${outName}${format === 'esm' ? '.mjs' : '.js'}`),
      bundle: true,
      platform: 'node',
      format,
      target: typeof properties.Target === 'string' ? properties.Target : 'node20',
      minify: properties.Minify !== false,
      sourcemap: 'inline',
      keepNames: true,
      external: ['@aws-sdk/*', ...(Array.isArray(properties.External) ? properties.External.map(String) : [])],
      logLevel: 'silent',
    });
  } catch (error) {
    throw new FunctionCodeError(`function ${logicalId}: esbuild could not bundle ${entryPath}: ${(error as Error).message.split('\n')[0]}`);
  }
  return { codeDir: outDir, handlerModule: outName, handlerExport: exportName };
}
