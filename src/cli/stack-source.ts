import { resolve } from 'node:path';
import { AppError } from '../common/app-error.ts';
import type { StackModel } from '../local/stack-model.ts';
import { readStackModel } from '../local/template-reader.ts';
import { UsageError } from './cli-error.ts';
import { cachedSynthesis } from './synthesis-cache.ts';

/** Where the stack a local command runs comes from. */
export interface StackSource {
  /** A synthesized template (assets beside it, as in cdk.out); otherwise the CDK app is synthesized. */
  readonly template?: string | undefined;
  /** CDK context for synthesis, as `-c` gives it to `npm run synth`. */
  readonly context: Record<string, string>;
  /** Synthesize afresh instead of using the cache. */
  readonly noCache?: boolean | undefined;
}

/**
 * The stack a local command runs: a given synthesized template, or the CDK app synthesized with the context (as
 * `npm run synth` would, cached). Template and context problems become usage errors (one line, exit code 2).
 */
export async function loadStackModel(source: StackSource): Promise<StackModel> {
  const { template, context } = source;
  if (template && Object.keys(context).length > 0) throw new UsageError('-c applies to synthesis; it cannot be combined with --template');
  try {
    if (template) return readStackModel(resolve(template));
    return readStackModel(await cachedSynthesis(context, { noCache: source.noCache, print: (line) => console.log(line) }));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
}
