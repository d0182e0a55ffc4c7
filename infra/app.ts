import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { stackConfigFromContext } from './stack-config.ts';
import { TechModaStack } from './techmoda-stack.ts';

/** Builds the CDK app: context options -> config -> stack, with cdk-nag AwsSolutions checks at synth. */
export function buildApp(app = new App()): { app: App; stack: TechModaStack } {
  const config = stackConfigFromContext((key) => app.node.tryGetContext(key));
  // Environment-agnostic (no account/region, no lookups): synth works offline and without credentials.
  const stack = new TechModaStack(app, 'TechModaProductApi', {
    config,
    description: 'TechModa product API (lab 2: auto scaling, done right)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

// Run as the CDK app (cdk.json "app"), not when imported by tests or the local cloud.
if (process.argv[1]?.endsWith('infra/app.ts')) buildApp().app.synth();
