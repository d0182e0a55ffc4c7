import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { dashboardRoutes } from '../src/dashboard/dashboard-routes.ts';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { backOfficeToken } from './support/back-office-token.ts';
import { launchChromium } from './support/browser.ts';
import { jsonBody } from './support/json-body.ts';
import { pacedRequests, waitFor } from './support/paced-requests.ts';
import { productBody } from './support/product-fixtures.ts';
import { stackVariant, withoutScheduledActions } from './support/stack-variant.ts';

// Time scale 60: each dashboard frame (one real second) covers one minute of cloud time, one CloudWatch period.
const timeScale = 60;
let browser: BrowserContext;
const clouds: LocalCloud[] = [];

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const page of browser.pages()) await page.close();
  await Promise.all(clouds.splice(0).map((cloud) => cloud.stop()));
});

/** A local cloud of its own for one test, and a dashboard page on it. */
async function openDashboard() {
  const variant = stackVariant(inject('stackTemplatePath'), (resources) => {
    withoutScheduledActions(resources);
  });
  const cloud = new LocalCloud({
    model: readStackModel(variant),
    port: 0,
    timeScale,
    coldStartDelayMs: 0,
    burstStartsFull: false,
    controlPlaneRoutes: dashboardRoutes,
  });
  clouds.push(cloud);
  const api = (await cloud.start()).apiUrl;
  const base = new URL(api).origin;
  const page = await browser.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(`${base}/_local/dashboard`);
  await page.locator('#status', { hasText: 'live' }).waitFor();
  const dashboard = <T>(read: string): Promise<T> =>
    page.evaluate(`(() => { const d = window.__dashboard; return ${read}; })()`) as Promise<T>;
  await waitFor('the first frame', async () => ((await dashboard<number>('d.frames.length')) > 0 ? true : undefined));
  return { api, base, page, consoleErrors, dashboard };
}

describe('live dashboard in Chromium', () => {
  it('loads with no console error, shows the time scale, and draws every panel offline (no external request)', async () => {
    const { page, consoleErrors, dashboard } = await openDashboard();
    expect(consoleErrors).toEqual([]);
    await expect(page.locator('#scale').textContent()).resolves.toContain('time scale 60x');
    // 2 API panels, 2 per function (4 functions), reads and writes for the table and the GSI.
    expect(await dashboard<number>('d.chartCount()')).toBe(2 + 8 + 4);
    const external = await page.evaluate(
      'performance.getEntriesByType("resource").map((r) => r.name).filter((n) => !n.startsWith(location.origin))',
    );
    expect(external).toEqual([]);
  });

  it('after a short load, shows datapoints that match /_local/metrics, a scaling activity in the list and as a marker, phases shaded', async () => {
    const { api, base, page, dashboard } = await openDashboard();
    await fetch(`${base}/_local/phases`, {
      method: 'POST',
      body: JSON.stringify({ name: 'spike', state: 'start', targetRatePerSecond: 30 }),
    });
    const { id } = await jsonBody(
      await fetch(`${api}/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await backOfficeToken(api) },
        body: JSON.stringify(productBody(1)),
      }),
    );
    const load = pacedRequests(30, () => fetch(`${api}/products/${id}`).then((r) => r.arrayBuffer()));
    await page.locator('#activity li.scaling', { hasText: 'Setting read capacity units' }).first().waitFor({ timeout: 40_000 });
    await fetch(`${base}/_local/phases`, { method: 'POST', body: JSON.stringify({ name: 'spike', state: 'end' }) });
    await load.stop();
    expect(await dashboard<number>('d.markers().filter((m) => m.kind === "scaling").length')).toBeGreaterThan(0);
    expect(await dashboard<number>('d.phaseBands().length')).toBe(1);

    // Each frame's request count is the API's Count for the same period, as /_local/metrics reports it.
    const frames = await dashboard<{ t: number; api: { count: number } }[]>('d.frames.map((f) => ({ t: f.t, api: f.api }))');
    const metrics = await jsonBody(
      await fetch(
        `${base}/_local/metrics?namespace=AWS/ApiGateway&name=Count&dimension=ApiName=techmoda-products&period=${timeScale}&stat=Sum&minutes=120`,
      ),
    );
    const series = metrics.metrics.find((m: { dimensions: object }) => Object.keys(m.dimensions).length === 1);
    const byStart = new Map<number, number>(series.datapoints.map((p: { timestampMs: number; value: number }) => [p.timestampMs, p.value]));
    const busy = frames.filter((f) => f.api.count > 0);
    expect(busy.length).toBeGreaterThan(3);
    for (const frame of busy) expect(frame.api.count * timeScale).toBeCloseTo(byStart.get(frame.t - timeScale * 1000) ?? -1, 6);

    // The stage's access log in its own format, newest first: the gets just sent.
    await page.locator('#access li').first().waitFor();
    expect(await page.locator('#access li').first().textContent()).toMatch(/"httpMethod":"GET".*"resourcePath":"\/products\/\{id\}"/);

    const shot = join(mkdtempSync(join(tmpdir(), 'dashboard-')), 'dashboard.png');
    await page.screenshot({ path: shot });
    console.log(`dashboard screenshot: ${shot}`);
  });

  it('resumes after a dropped stream without gaps or duplicates', async () => {
    const { base, consoleErrors, dashboard } = await openDashboard();
    const before = await dashboard<number>('d.frames[d.frames.length - 1].id');
    await fetch(`${base}/_local/dashboard/drop`, { method: 'POST' });
    await waitFor('frames after the reconnect', async () =>
      (await dashboard<number>('d.frames[d.frames.length - 1].id')) > before + 2 ? true : undefined,
    );
    const ids = await dashboard<number[]>('d.frames.map((f) => f.id)');
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => (ids[0] as number) + i));
    expect(consoleErrors.filter((e) => !/EventSource|net::ERR/.test(e))).toEqual([]);
  });

  it('shows the history to a dashboard opened later, the same frames the first one has', async () => {
    const { base, dashboard } = await openDashboard();
    await waitFor('a few frames of history', async () => ((await dashboard<number>('d.frames.length')) >= 3 ? true : undefined));
    const late = await browser.newPage();
    await late.goto(`${base}/_local/dashboard`);
    await late.locator('#status', { hasText: 'live' }).waitFor();
    const firstIds = await dashboard<number[]>('d.frames.map((f) => f.id)');
    await waitFor('the replayed history', async () =>
      ((await late.evaluate('window.__dashboard.frames.length')) as number) >= firstIds.length ? true : undefined,
    );
    const lateIds = (await late.evaluate('window.__dashboard.frames.map((f) => f.id)')) as number[];
    expect(lateIds.slice(0, firstIds.length)).toEqual(firstIds);
    await late.close();
  });

  it('stays readable in a narrow window: panels stack in one column', async () => {
    const { page } = await openDashboard();
    await page.setViewportSize({ width: 480, height: 900 });
    const widths = await page.locator('section.panel').evaluateAll((sections) => sections.map((s) => s.getBoundingClientRect().width));
    expect(Math.max(...widths)).toBeLessThanOrEqual(480);
    expect(await page.locator('.latest').first().textContent()).toMatch(/^Latest: /);
  });
});
