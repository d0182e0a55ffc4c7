import { resolve } from 'node:path';
import { AppError } from '../common/app-error.ts';
import { UsageError } from '../common/usage-error.ts';
import { readStackModel } from '../local/template/template-reader.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { cachedSynthesis } from './synthesis-cache.ts';

/** Where the stack a local command runs comes from. */
export interface StackSource {
  /** A synthesized template (assets beside it, as in cdk.out); otherwise the CDK app is synthesized. */
  readonly template?: string | undefined;
  /** CDK context for synthesis, as `-c` gives it to `npm run synth`. */
  readonly context: Record<string, string>;
  /** Synthesize afresh instead of using the cache. */
  readonly noCache?: boolean | undefined;
  /** `AWS::StackName` for a --template (default: its file name for CDK output, `techmoda-local` for SAM). */
  readonly stackName?: string | undefined;
}

/**
 * The stack a local command runs: a given template (synthesized CDK output, or SAM), or the CDK app synthesized with the context (as
 * `npm run synth` would, cached). Template and context problems become usage errors (one line, exit code 2).
 */
export async function loadStackModel(source: StackSource): Promise<StackModel> {
  const { template, context } = source;
  if (template && Object.keys(context).length > 0) throw new UsageError('-c applies to synthesis; it cannot be combined with --template');
  if (source.stackName !== undefined && !template)
    throw new UsageError('--stack-name names the stack of a --template; the CDK app names its own');
  if (source.stackName !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(source.stackName))
    throw new UsageError(`--stack-name ${source.stackName}: a stack name is a letter, then letters, digits and hyphens (at most 128)`);
  try {
    if (template) return readStackModel(resolve(template), { stackName: source.stackName });
    return readStackModel(await cachedSynthesis(context, { noCache: source.noCache, print: (line) => console.log(line) }));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
}
