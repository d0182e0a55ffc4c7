import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { arrivals } from '../src/load/arrival-schedule.ts';
import { parseProfile } from '../src/load/load-profile.ts';
import { runAwsCli } from './support/aws-cli.ts';
import { exitCode, runCli, startCli } from './support/cli-process.ts';
import { resourceOf, stackVariant } from './support/stack-variant.ts';

// The round trip the profile issue asks for, all on this machine: a profile replayed by `techmoda load` against
// `techmoda local`, rebuilt by `techmoda profile` from the stage's access log and from what the real AWS CLI's
// `cloudwatch get-metric-data` prints from the local cloud, per minute and per kind, against what was sent.
const dir = mkdtempSync(join(tmpdir(), 'round-trip-'));
const accessLog = join(dir, 'access.log');
const sent = join(dir, 'sent.yaml');
writeFileSync(
  sent,
  `name: round-trip
phases:
  - { name: baseline, durationSeconds: 10, ratePerSecond: 10 }
  - { name: ramp, durationSeconds: 10, ratePerSecond: 10, rampToRatePerSecond: 50 }
  - { name: peak, durationSeconds: 20, ratePerSecond: 50 }
  - { name: after, durationSeconds: 10, ratePerSecond: 10 }
mix: { get: 50, list: 20, create: 15, update: 10, delete: 5 }
`,
);
const routes = [
  ['GET', '/products'],
  ['GET', '/products/{id}'],
  ['POST', '/products'],
  ['PUT', '/products/{id}'],
  ['DELETE', '/products/{id}'],
] as const;

let stop: () => Promise<void>;
let api: string;
let report: { startedAt: string; total: { sent: number }; sentByKind: Record<string, number> };
let apiName: string;

beforeAll(async () => {
  // The stage with detailed metrics on, as `-c apiDetailedMetrics=true` synthesizes it: Count per method and resource.
  const template = stackVariant(inject('stackTemplatePath'), (resources) => {
    const stage = resourceOf(resources, 'AWS::ApiGateway::Stage');
    for (const setting of stage.Properties.MethodSettings) setting.MetricsEnabled = true;
    apiName = resourceOf(resources, 'AWS::ApiGateway::RestApi').Properties.Name;
  });
  const local = await startCli(['local', '--template', template, '--port', '0', '--access-log', accessLog], /Ctrl-C stops/);
  api = (local.lines.find((l) => l.startsWith('API ')) as string).slice('API '.length);
  stop = async () => {
    local.child.kill('SIGINT');
    await exitCode(local.child);
  };
  const out = join(dir, 'report.json');
  const load = await runCli(['load', '--target', api, '--profile', sent, '--out', out, '--check', 'errors=0']);
  expect(load.code, load.stdout + load.stderr).toBe(0);
  report = JSON.parse(readFileSync(out, 'utf8'));
}, 180_000);
afterAll(async () => stop?.());

/** What was sent in each wall-clock minute: the load's own schedule from its start, and its one discovery listing. */
function sentPerMinute(): Map<number, number> {
  const startMs = Date.parse(report.startedAt);
  const perMinute = new Map<number, number>([[Math.floor(startMs / 60_000) * 60_000, 1]]);
  for (const arrival of arrivals(parseProfile(parseYaml(readFileSync(sent, 'utf8')), sent).phases)) {
    const minute = Math.floor((startMs + arrival.atMs) / 60_000) * 60_000;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
  }
  return perMinute;
}

/** A rebuilt profile's requests per wall-clock minute. */
function rebuiltPerMinute(file: string): Map<number, number> {
  const profile = parseYaml(readFileSync(file, 'utf8'));
  const startMs = Date.parse(profile.trace.start);
  const perMinute = new Map<number, number>();
  profile.trace.rates.forEach((rate: number, i: number) => {
    const minute = Math.floor((startMs + i * profile.trace.stepSeconds * 1000) / 60_000) * 60_000;
    perMinute.set(minute, (perMinute.get(minute) ?? 0) + rate * profile.trace.stepSeconds);
  });
  return perMinute;
}

function expectSameMinutes(rebuilt: Map<number, number>, expected: Map<number, number>): void {
  for (const [minute, count] of expected) {
    // A count is whole; the profile holds it as a rate rounded to 4 decimals (8 in a minute is 0.1333/s: 7.998).
    const got = Math.round(rebuilt.get(minute) ?? 0);
    expect(Math.abs(got - count), `minute ${new Date(minute).toISOString()}: ${got} rebuilt, ${count} sent`).toBeLessThanOrEqual(
      Math.max(1, 0.01 * count),
    );
  }
  const total = [...rebuilt.values()].reduce((a, b) => a + b, 0);
  expect(Math.round(total)).toBe([...expected.values()].reduce((a, b) => a + b, 0));
}

/** The mix as sent, in percent: the discovery listing counts as a list. */
function sentMix(): Record<string, number> {
  const byKind = { ...report.sentByKind, list: (report.sentByKind.list ?? 0) + 1 };
  const total = Object.values(byKind).reduce((a, b) => a + b, 0);
  return Object.fromEntries(Object.entries(byKind).map(([kind, n]) => [kind, (100 * n) / total]));
}

function expectSameMix(file: string): void {
  const { mix } = parseYaml(readFileSync(file, 'utf8'));
  const expected = sentMix();
  for (const kind of new Set([...Object.keys(mix), ...Object.keys(expected)]))
    expect(Math.abs((mix[kind] ?? 0) - (expected[kind] ?? 0)), `${kind}: ${mix[kind]}% rebuilt`).toBeLessThanOrEqual(1);
}

describe('techmoda profile rebuilds what techmoda load sent to the local cloud', () => {
  it('from the stage’s access log: every minute within 1%, the mix within 1 point, deletes included', async () => {
    const out = join(dir, 'from-logs.yaml');
    const { code, stdout } = await runCli(['profile', '--from-access-logs', accessLog, '--out', out]);
    expect(code, stdout).toBe(0);
    expect(report.sentByKind.delete).toBeGreaterThan(0);
    expectSameMinutes(rebuiltPerMinute(out), sentPerMinute());
    expectSameMix(out);
    // 1 s steps, and a profile techmoda load takes back.
    const rebuilt = parseProfile(parseYaml(readFileSync(out, 'utf8')), out);
    expect(rebuilt.phases.every((p) => p.stepSeconds === 1)).toBe(true);
    expect(stdout).toMatch(/Phases: .*peak/);
  });

  it('from aws cloudwatch get-metric-data against the local cloud: every minute within 1%, the mix within 1 point', async () => {
    const origin = new URL(api).origin;
    const queries = routes.map(([method, resource], i) => ({
      Id: `r${i}`,
      Label: `Count ${method} ${resource}`,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApiGateway',
          MetricName: 'Count',
          Dimensions: [
            { Name: 'ApiName', Value: apiName },
            { Name: 'Method', Value: method },
            { Name: 'Resource', Value: resource },
            { Name: 'Stage', Value: new URL(api).pathname.slice(1) },
          ],
        },
        Period: 60,
        Stat: 'Sum',
      },
    }));
    const queryFile = join(dir, 'queries.json');
    writeFileSync(queryFile, JSON.stringify(queries));
    const startMs = Math.floor(Date.parse(report.startedAt) / 60_000) * 60_000;
    const exported = await runAwsCli(origin, [
      'cloudwatch',
      'get-metric-data',
      '--metric-data-queries',
      `file://${queryFile}`,
      '--start-time',
      new Date(startMs).toISOString(),
      '--end-time',
      new Date(Date.now() + 60_000).toISOString(),
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const exportFile = join(dir, 'export.json');
    writeFileSync(exportFile, exported.stdout);
    const out = join(dir, 'from-cloudwatch.yaml');
    const { code, stdout } = await runCli(['profile', '--from-cloudwatch', exportFile, '--out', out]);
    expect(code, stdout).toBe(0);
    expect(parseYaml(readFileSync(out, 'utf8')).trace.stepSeconds).toBe(60);
    expectSameMinutes(rebuiltPerMinute(out), sentPerMinute());
    expectSameMix(out);

    // Planned on the same stack, the profile rebuilt from minutes plans within 5% of the one written by hand: the
    // requests, what they are answered with, and the month's bill (the same traffic for the rest of the month).
    const plan = async (profile: string) => {
      const file = join(dir, `plan-${profile.split('/').pop()}.json`);
      const run = await runCli([
        'plan',
        '--template',
        inject('stackTemplatePath'),
        '--profile',
        profile,
        '--baseline-rps',
        '10',
        '--out',
        file,
      ]);
      expect([0, 1], run.stdout + run.stderr).toContain(run.code);
      return JSON.parse(readFileSync(file, 'utf8')).baseline;
    };
    const [byHand, rebuilt] = [await plan(sent), await plan(out)];
    const near = (got: number, want: number, what: string) =>
      expect(Math.abs(got - want), `${what}: ${got} rebuilt, ${want} by hand`).toBeLessThanOrEqual(0.05 * want);
    near(rebuilt.predicted.total.requests, byHand.predicted.total.requests, 'requests');
    near(rebuilt.predicted.total.ok, byHand.predicted.total.ok, '2xx');
    near(rebuilt.cost.perMonthUsd, byHand.cost.perMonthUsd, 'cost per month');
  }, 120_000);

  it('refuses bad input with exit 2 and one line naming the file and the position', async () => {
    const cut = join(dir, 'cut.log');
    writeFileSync(cut, readFileSync(accessLog, 'utf8').slice(0, 300));
    const { code, stderr } = await runCli(['profile', '--from-access-logs', cut, '--out', join(dir, 'x.yaml')]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/cut\.log line \d+: truncated JSON/);
  });
});
