import { describe, expect, it } from 'vitest';
import { cachedSynthesis } from '../src/stack/synthesis-cache.ts';
import { runCli } from './support/cli-process.ts';

// techmoda review on the lab's template as written, the fixed one, and our own synthesized stack (issue 13).
interface Review {
  errors: number;
  warnings: number;
  findings: { rule: string; severity: string; resource: string; message: string; fix: string }[];
  acknowledged: { rule: string; resource: string; reason: string }[];
}

async function reviewJson(template: string, ...extra: string[]): Promise<{ code: number | null; review: Review }> {
  // As of a fixed date: runtime deprecations are judged on it, so the verdicts do not change with the calendar.
  const { code, stdout } = await runCli(['review', '--template', template, '--format', 'json', '--as-of', '2026-11-30', ...extra]);
  return { code, review: JSON.parse(stdout) as Review };
}

describe('techmoda review', () => {
  it("finds every defect docs/lab-review.md lists in the lab's template, and exits 1", async () => {
    const { code, review } = await reviewJson('examples/lab-sam/template.yaml');
    expect(code).toBe(1);
    const found = (rule: string) => review.findings.filter((f) => f.rule === rule).map((f) => `${f.severity} ${f.resource}`);
    expect(found('provisioned-concurrency-without-alias')).toEqual(['error CreateProductFunction']);
    expect(found('runtime-deprecated')).toEqual(['error GetProductsFunction', 'error CreateProductFunction']);
    expect(found('iam-unknown-managed-policy')).toEqual(['error ScalingRole']);
    expect(found('iam-wildcard-data-access')).toEqual(['warning ScalingRole']);
    expect(found('function-without-table-access')).toEqual(['error GetProductsFunction', 'error CreateProductFunction']);
    expect(found('scaling-partial')).toEqual(['error ProductsTable']);
    expect(found('throttles-unalarmed')).toEqual(['warning ProductsTable']);
    expect(found('lambda-throttles-unalarmed')).toEqual(['warning GetProductsFunction', 'warning CreateProductFunction']);
    expect(found('reserved-concurrency-unwatched')).toEqual(['warning GetProductsFunction']);
    expect(found('spike-faster-than-scaling')).toEqual(['warning ProductsTable']);
    expect(found('writes-unauthorized')).toEqual(['error ServerlessRestApi']);
    const pc = review.findings.find((f) => f.rule === 'provisioned-concurrency-without-alias');
    expect(pc?.message).toContain(
      'Resource with id [CreateProductFunction] is invalid. To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function',
    );
    expect(review.findings.find((f) => f.rule === 'runtime-deprecated')?.message).toContain('since 2024-01-09');
    // The same template reviewed for a sale in 2023, before Node.js 14's deprecation: no runtime finding then.
    const before = await runCli(['review', '--template', 'examples/lab-sam/template.yaml', '--format', 'json', '--as-of', '2023-01-01']);
    expect((JSON.parse(before.stdout) as Review).findings.map((f) => f.rule)).not.toContain('runtime-deprecated');
    expect(review.findings.find((f) => f.rule === 'iam-unknown-managed-policy')?.fix).toContain(
      'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess',
    );
    expect(review.findings.find((f) => f.rule === 'throttles-unalarmed')?.message).toContain('only reads are watched');
    expect([review.errors, review.warnings]).toEqual([
      review.findings.filter((f) => f.severity === 'error').length,
      review.findings.filter((f) => f.severity === 'warning').length,
    ]);
  });

  it('prints one line per finding with rule, resource, message and fix; --ignore skips a rule', async () => {
    const { code, stdout } = await runCli([
      'review',
      '--template',
      'examples/lab-sam/template.yaml',
      '--ignore',
      'runtime-deprecated',
      '--as-of',
      '2026-11-30',
    ]);
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(/^error {3}scaling-partial {2}ProductsTable: writes are not auto scaled .*\. Fix: add a ScalableTarget/),
    );
    expect(stdout).not.toContain('runtime-deprecated');
    // The lab's writes are open to anyone who reaches the stage.
    expect(lines).toContainEqual(
      expect.stringMatching(/^error {3}writes-unauthorized {2}ServerlessRestApi: POST \/products has no authorization/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^examples\/lab-sam\/template\.yaml: 6 errors, 6 warnings, 0 acknowledged$/));
  });

  it('reviews the fixed lab template clean, exit 0', async () => {
    const { code, review } = await reviewJson('examples/lab-sam/template.fixed.yaml');
    expect(review.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('reviews our synthesized stack clean in both billing modes, with nothing to acknowledge (nodejs24.x)', async () => {
    for (const context of [{}, { billingMode: 'on-demand' }] as Record<string, string>[]) {
      const { code, review } = await reviewJson(await cachedSynthesis(context, {}));
      expect(review.findings).toEqual([]);
      expect(code).toBe(0);
      expect(review.acknowledged).toEqual([]);
    }
  }, 180_000);

  it('refuses bad input with one line and exit 2', async () => {
    expect(await runCli(['review'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--template FILE is required') });
    expect(await runCli(['review', '--template', 'examples/lab-sam/template.yaml', '--ignore', 'nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--ignore nope: no such rule'),
    });
    expect(await runCli(['review', '--template', 'does-not-exist.yaml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('cannot read template'),
    });
    expect(await runCli(['review', '--template', 'README.md'])).toMatchObject({ code: 2 });
    expect(await runCli(['review', '--template', 'examples/lab-sam/template.yaml', '--as-of', 'soon'])).toMatchObject({ code: 2 });
  });
});
