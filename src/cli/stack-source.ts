import { resolve } from 'node:path';
import type { StackModel } from '../local/stack-model.ts';
import { readStackModel } from '../local/template-reader.ts';
import { AppError } from '../shared/app-error.ts';
import { UsageError } from './cli-error.ts';

/**
 * The stack a local command runs: a given synthesized template, or the CDK app synthesized with `context` (as
 * `npm run synth` would). Template and context problems become usage errors (one line, exit code 2).
 */
export async function loadStackModel(template: string | undefined, context: Record<string, string>): Promise<StackModel> {
  if (template && Object.keys(context).length > 0) throw new UsageError('-c applies to synthesis; it cannot be combined with --template');
  try {
    if (template) return readStackModel(resolve(template));
    console.log('Synthesizing the stack (CDK + esbuild)...');
    // Loaded on demand: aws-cdk-lib takes a second to import, and --template runs do not need it.
    const { synthesizeStack } = await import('./synthesize-stack.ts');
    return readStackModel(synthesizeStack(context, resolve('.techmoda', 'cdk.out')));
  } catch (error) {
    if (error instanceof AppError) throw new UsageError(error.message);
    throw error;
  }
}
