import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cachedSynthesis } from '../src/stack/synthesis-cache.ts';

// cfn-lint 1.51.0 (AWS's CloudFormation linter, in the machine image's Python) agrees with techmoda review and
// techmoda local: no errors on our stack in either billing mode or on the fixed lab template, and the SAM
// transform's AutoPublishAlias error on the lab's template as written. Its exit code is a bit mask: 2 = errors.
const cfnLint = spawnSync('sh', ['-c', 'command -v cfn-lint'], { encoding: 'utf8' }).stdout.trim();
if (!cfnLint) console.warn('cfn-lint is not on PATH (no Python with cfn-lint here): the cfn-lint comparison is skipped.');

function lint(template: string): { errors: boolean; output: string } {
  const run = spawnSync(cfnLint, [template], { encoding: 'utf8', env: { ...process.env, AWS_DEFAULT_REGION: 'us-east-1' } });
  return { errors: ((run.status ?? 0) & 2) !== 0, output: run.stdout + run.stderr };
}

describe.skipIf(!cfnLint)('cfn-lint on our templates', () => {
  it('finds no errors in our synthesized stack, provisioned and on-demand', async () => {
    for (const context of [{}, { billingMode: 'on-demand' }] as Record<string, string>[]) {
      const result = lint(await cachedSynthesis(context, {}));
      expect(result.output.split('\n').filter((line) => /^E\d{4}/.test(line))).toEqual([]);
      expect(result.errors).toBe(false);
    }
  }, 180_000);

  it('finds no errors in the fixed lab template, and the AutoPublishAlias error in the one as written', () => {
    expect(lint('examples/lab-sam/template.fixed.yaml')).toEqual({ errors: false, output: '' });
    const written = lint('examples/lab-sam/template.yaml');
    expect(written.errors).toBe(true);
    expect(written.output).toContain(
      'Resource with id [CreateProductFunction] is invalid. To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function',
    );
  });
});
