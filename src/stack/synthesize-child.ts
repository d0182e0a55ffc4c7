// Child-process entry of the synthesis cache: synthesizes the CDK app with the given context into the given
// directory and prints the template's path. In its own process, aws-cdk-lib's ~300 MB and its import time leave
// with the process instead of staying resident in the local cloud.
import { synthesizeStack } from './synthesize-stack.ts';

const [outdir, contextJson] = process.argv.slice(2);
try {
  const templatePath = synthesizeStack(JSON.parse(contextJson ?? '{}') as Record<string, string>, outdir ?? 'cdk.out');
  process.stdout.write(`${JSON.stringify({ templatePath })}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 2;
}
