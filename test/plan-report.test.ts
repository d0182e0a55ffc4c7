import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writePlanReport } from '../src/cli/plan-report.ts';
import { builtInProfiles } from '../src/load/load-profile.ts';
import { type Evaluation, evaluate, type PlanSettings, rank } from '../src/plan/evaluation.ts';
import { handStack } from '../src/plan/plan-fixtures.test-support.ts';
import { handPlanSettings } from '../src/plan/plan-settings.test-support.ts';
import { launchChromium } from './support/browser.ts';

const base = handStack({ autoScaling: true });
const settings = handPlanSettings(builtInProfiles.lab as PlanSettings['profile'], 5, base);
const browser = await launchChromium();
afterAll(() => browser.close());

describe('the plan report', () => {
  it('opens offline in Chromium with every chart drawn: demand against capacity for the start and the winner, and the frontier', async () => {
    const evaluated = (label: string, model: typeof base) =>
      evaluate({ ...settings, fixedModel: model }, { label, context: {} }, true) as Evaluation;
    const baseline = evaluated('the given configuration', base);
    const ranked = rank([
      evaluated('150 RCU', handStack({ readUnits: 150 })),
      evaluated('on-demand', handStack({ billingMode: 'PAY_PER_REQUEST' })),
      baseline,
    ]);
    const winner = ranked[0] as Evaluation;
    expect(winner.meetsSlo).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'plan-report-')), 'plan.html');
    writePlanReport(file, { settings, baseline, chosen: winner, ranked });

    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`request to ${request.url()}`);
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('.uplot canvas');
    expect(problems).toEqual([]);
    // Two charts for the starting configuration, two for the winner, one frontier, and the burst bucket of each
    // provisioned one: each a uPlot with its canvas.
    const headings = await page.locator('h2').allTextContents();
    const burstCharts = headings.filter((h) => /read units left in the burst bucket/.test(h)).length;
    expect(burstCharts).toBe(winner.model.tables[0]?.billingMode === 'PROVISIONED' ? 2 : 1);
    expect(await page.locator('.uplot').count()).toBe(5 + burstCharts);
    expect(headings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Starting configuration, burst bucket empty: read units per second, demanded \(every attempt\), consumed/),
        expect.stringMatching(/^Starting configuration, burst bucket empty: read units left in the burst bucket/),
        expect.stringMatching(/^Candidates: cost per month/),
      ]),
    );
    expect(await page.locator('h2:has-text("Cost lines") + table').textContent()).toContain('API Gateway: REST API requests');
    await page.close();
  }, 60_000);
});
