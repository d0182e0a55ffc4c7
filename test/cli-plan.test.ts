import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'techmoda-plan-'));

describe('techmoda plan', () => {
  it('ends an unknown profile, an SLO that does not parse, a refused context or bad prices with one line, exit 2, nothing written', async () => {
    const out = join(dir, 'refused.json');
    const prices = join(dir, 'prices.json');
    writeFileSync(prices, JSON.stringify({ dynamodb: { readCapacityUnitHour: 'cheap' } }));
    for (const [args, message] of [
      [['--profile', 'black-friday'], /no built-in profile "black-friday"/],
      [['--slo', 'p99 under 5'], /--check 'p99 under 5'/],
      [['-c', 'minReadCapacity=143'], /minReadCapacity: must not exceed maxReadCapacity \(100\)/],
      [['--prices', prices], /prices file .*prices\.json: dynamodb\.readCapacityUnitHour: /],
      [['--sale-start', 'tomorrow'], /--sale-start takes an ISO-8601 time/],
    ] as const) {
      const { code, stderr } = await runCli(['plan', ...args, '--out', out]);
      expect(code, stderr).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  }, 240_000);

  it('searches the lab: the recommendation meets the SLOs with the burst bucket full and empty, as flags the stack accepts', async () => {
    const out = join(dir, 'lab.json');
    const report = join(dir, 'lab.html');
    const { code, stdout } = await runCli(['plan', '--profile', 'lab', '--search', '--out', out, '--report', report]);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/It fails the SLOs with the burst bucket full and with it empty\./);
    expect(stdout).toMatch(/Searched \d{2,} configurations/);
    expect(stdout).toMatch(/verify: npm run lab -- --profile lab -c /);
    const plan = JSON.parse(readFileSync(out, 'utf8'));
    expect(plan.prices.asOf).toBe('2026-11-29');
    expect(plan.baseline.meetsSlo).toBe(false);
    expect(plan.recommendation.meetsSlo).toBe(true);
    expect(plan.recommendation.cost.perMonthUsd).toBeLessThan(plan.baseline.cost.perMonthUsd);
    expect(plan.recommendation.predicted.phases.map((p: { name: string }) => p.name)).toEqual(['low', 'medium', 'spike', 'cool-down']);
    expect(plan.recommendation.predictedBurstEmpty.total.throttled).toEqual({ gateway: 0, lambda: 0, dynamodb: 0 });
    expect(plan.candidates.length).toBeGreaterThan(50);
    for (const line of plan.recommendation.cost.lines)
      expect(line).toEqual({ service: expect.any(String), item: expect.any(String), usd: expect.any(Number) });
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script src=|<link [^>]*href="http/);
  }, 240_000);

  it('exits 1 and lists the closest when no configuration meets the SLOs', async () => {
    const { code, stdout } = await runCli(['plan', '--profile', 'lab', '--search', '--slo', 'p99<1ms']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/No configuration meets the SLOs\. The closest:\n- /);
  }, 240_000);
});
