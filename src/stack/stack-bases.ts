import type { StackBases } from '../plan/candidate-stack.ts';
import { loadStackModel } from './stack-source.ts';

/**
 * The stack the planner starts from, in both billing modes: the CDK app synthesized with the user's context (sales
 * are the plan's to set, so the user's are left out), or a template given as it is, the same model for both.
 */
export async function loadStackBases(source: {
  readonly template?: string | undefined;
  /** AWS::StackName of the --template. */
  readonly stackName?: string | undefined;
  readonly context: Readonly<Record<string, string>>;
  readonly noCache?: boolean | undefined;
}): Promise<StackBases> {
  const { template, stackName, context, noCache } = source;
  if (template || stackName !== undefined) {
    const model = await loadStackModel({ template, stackName, context: {}, noCache });
    return { provisioned: model, 'on-demand': model };
  }
  // Provisioned is the stack's default: leaving billingMode out shares the cache entry npm run lab uses.
  const { sales: _sales, salesAnchor: _anchor, billingMode: _mode, ...rest } = context;
  // Both at once: each synthesis is a child process of its own (about 14 s, most of it CDK and esbuild on one core),
  // so on a first run the second no longer waits for the first.
  const [provisioned, onDemand] = await Promise.all([
    loadStackModel({ context: rest, noCache }),
    loadStackModel({ context: { ...rest, billingMode: 'on-demand' }, noCache }),
  ]);
  return { provisioned, 'on-demand': onDemand };
}
