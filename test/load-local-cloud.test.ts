import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { LocalCloud } from '../src/local/local-cloud.ts';
import { readStackModel } from '../src/local/template/template-reader.ts';
import { runCli } from './support/cli-process.ts';

const shortMixed = new URL('./fixtures/profiles/short-mixed.yaml', import.meta.url).pathname;

describe('techmoda load against the local cloud', () => {
  let cloud: LocalCloud;
  let api: string;
  beforeAll(async () => {
    cloud = new LocalCloud({ model: readStackModel(inject('stackTemplatePath')), port: 0, coldStartDelayMs: 0 });
    api = (await cloud.start()).apiUrl;
  });
  afterAll(async () => cloud.stop());

  it('runs a short mixed profile with --verify-writes: every acknowledged create is readable, phases announced', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'load-')), 'r.json');
    const { code, stdout } = await runCli([
      'load',
      '--target',
      api,
      '--profile',
      shortMixed,
      '--verify-writes',
      '--out',
      out,
      '--check',
      'errors=0',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report.writes.acknowledged).toBeGreaterThan(5);
    expect(report.writes.missing).toEqual([]);
    expect(report.writes.verified).toBe(report.writes.acknowledged);
    expect(stdout).toMatch(/writes: \d+ acknowledged, \d+ verified, 0 missing/);
    expect(report.total.sent).toBe(120);
    expect(report.total.outcomes['2xx'] + report.total.outcomes['4xx']).toBe(120);
    const phases = cloud.controlPlane.events.since(0).filter((e) => e.type === 'phase');
    expect(phases.map((e) => (e.type === 'phase' ? `${e.name}:${e.state}` : ''))).toEqual([
      'warm:start',
      'warm:end',
      'ramp:start',
      'ramp:end',
    ]);
  });
});

describe('npm run lab', () => {
  it('replays a profile on the local cloud and prints the client beside the cloud, with what to change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const { code, stdout } = await runCli([
      'lab',
      '--template',
      inject('stackTemplatePath'),
      '--profile',
      shortMixed,
      '--time-scale',
      '60',
      '--seed',
      '10',
      '--report',
      join(dir, 'lab.html'),
      '--quiet-cloud',
      '--burst-start',
      'empty',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Assumptions: burst bucket starts empty; alarms act 0 s after their data; UpdateTable applies after 60 s/);
    expect(stdout).toMatch(/This run assumed the burst bucket of .* started empty/);
    expect(stdout).toMatch(/ {2}bucket full: (no read throttled|first read throttled at \d+ s)/);
    expect(stdout).toMatch(/Phase by phase: the client beside the cloud/);
    expect(stdout).toMatch(/warm \(2 s at 20\/s\)\n {2}client: sent 40, 2xx \d+/);
    expect(stdout).toMatch(/ {2}cloud: {2}throttles gateway \d+, Lambda \d+, DynamoDB \d+; peak concurrency .*; read capacity .*table \d+/);
    expect(stdout).toMatch(/What throttled:\n- /);
    // With --template the planner can predict but not search: it says so instead of printing flags.
    expect(stdout).toMatch(
      /What to change \(techmoda plan --search[^\n]*\n- techmoda plan searches the CDK app’s options; with --template it can only predict/,
    );
    const html = readFileSync(join(dir, 'lab.html'), 'utf8');
    expect(html).toContain("The cloud's view (local cloud, time scale 60x)");
    // The burst bucket drawn beside provisioned and consumed capacity, per table and GSI, from the cloud's metrics.
    expect(html).toMatch(/Read capacity of table [\w-]+: provisioned, consumed and the burst bucket/);
    expect(html).toMatch(/burst bucket \(units\) \d/);
  });
});
