import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/app.ts';
import { UsageError } from '../common/usage-error.ts';

/**
 * Synthesizes the CDK app in-process with `context` (the same options as `npm run synth`), bundling the functions
 * with esbuild, and returns the template's path. The template is what `cdk deploy` would deploy.
 */
export function synthesizeStack(context: Record<string, string>, outdir: string): string {
  let stackName: string;
  try {
    // The CDK CLI turns asset and path metadata on; in-process synthesis must ask for them: they name each function's
    // bundle and give functions their short names.
    const { app, stack } = buildApp(
      new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true, ...context } }),
    );
    app.synth();
    stackName = stack.stackName;
  } catch (error) {
    throw new UsageError(`synthesizing the stack failed: ${(error as Error).message}`);
  }
  return join(outdir, `${stackName}.template.json`);
}
