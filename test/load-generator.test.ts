import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../src/load/load-runner.ts';
import { runLoadInWorker } from '../src/load/run-load-in-worker.ts';
import { runCli } from './support/cli-process.ts';
import { startTestServer } from './support/test-server.ts';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

async function server(delayMs: number, stall?: { atMs: number; forMs: number }): Promise<string> {
  const started = await startTestServer(delayMs, stall);
  stops.push(started.stop);
  return started.url;
}

const steady = (ratePerSecond: number, durationSeconds: number) => ({
  name: 'steady',
  phases: [{ name: 'steady', durationSeconds, ratePerSecond }],
  mix: { list: 1 },
});

describe('open-loop scheduling', () => {
  it('holds the rate against a slow server: 200/s for 3 s sends 600, latency about the delay', async () => {
    const run = await runLoad({ target: new URL(await server(80)), profile: steady(200, 3), connections: 64 });
    const total = run.results.totalSummary();
    expect(total.sent).toBe(600);
    expect(total.completed).toBe(600);
    expect(total.outcomes['2xx']).toBe(600);
    expect(total.latencyMs.p50).toBeGreaterThanOrEqual(80); // never less than the server's delay (speed is for bench/)
  });

  it('keeps sending through a stall and shows it in the tail: latency counts from the intended send time', async () => {
    const run = await runLoad({ target: new URL(await server(0, { atMs: 1_000, forMs: 600 })), profile: steady(200, 3), connections: 64 });
    const total = run.results.totalSummary();
    expect(total.sent).toBe(600); // open loop: nothing waited for the stalled server
    // ~120 requests were due during the 600 ms stall; the first of them waited the whole stall.
    expect(total.latencyMs.max).toBeGreaterThanOrEqual(550);
    expect(total.latencyMs.p90).toBeGreaterThanOrEqual(100);
    // Schedule lag and the latency of the unstalled requests are speed, measured by bench/load-generator.ts.
  });

  it('runs the same way on a worker thread, apart from this event loop', async () => {
    const phases: number[] = [];
    const run = await runLoadInWorker({
      target: new URL(await server(5)),
      profile: {
        name: 'two',
        phases: [
          { name: 'steady', durationSeconds: 1, ratePerSecond: 40 },
          { name: 'more', durationSeconds: 1, ratePerSecond: 60 },
        ],
        mix: { list: 1 },
      },
      onPhase: (index) => phases.push(index),
    });
    expect(phases).toEqual([0, 1]);
    expect(run.results.phaseSummaries().map((p) => [p.name, p.sent, p.outcomes['2xx']])).toEqual([
      ['steady', 40, 40],
      ['more', 60, 60],
    ]);
    expect(run.results.timeline()).toHaveLength(2);
    await expect(runLoadInWorker({ target: new URL('http://127.0.0.1:9/prod'), profile: steady(5, 1) })).rejects.toThrow(
      /cannot reach http:\/\/127\.0\.0\.1:9\/prod/,
    );
  });

  it('counts requests past the timeout as timeouts', async () => {
    const run = await runLoad({ target: new URL(await server(400)), profile: steady(20, 1), timeoutMs: 100 });
    expect(run.results.totalSummary().outcomes.timeout).toBe(20);
  });
});

describe('techmoda load: checks, outputs and exit codes', () => {
  it('exits 0 when checks pass, 1 when one fails, and lists each in the summary', async () => {
    const target = await server(20);
    const pass = await runCli([
      'load',
      '--target',
      target,
      '--profile',
      fixtureProfile(20, 1),
      '--check',
      'p50<500ms',
      '--check',
      'errors=0',
      '--check',
      'rate>=99%',
    ]);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/check PASS p50<500ms/);
    const fail = await runCli([
      'load',
      '--target',
      target,
      '--profile',
      fixtureProfile(20, 1),
      '--check',
      'p50<5ms',
      '--check',
      'throttled=0',
    ]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/check FAIL p50<5ms \(actual \d+(\.\d+)?ms\)/);
    expect(fail.stdout).toMatch(/check PASS throttled=0/);
  });

  it('exits 2 on usage errors: a bad check, a bad profile (naming the field), a remote target', async () => {
    const bad = await runCli(['load', '--target', 'http://127.0.0.1:1/prod', '--check', 'p99 < soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--check 'p99 < soon': not understood/);
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    writeFileSync(join(dir, 'bad.yaml'), 'phases:\n  - name: a\n    durationSeconds: 5\n    ratePerSecond: fast\nmix:\n  list: 1\n');
    const profile = await runCli(['load', '--target', 'http://127.0.0.1:1/prod', '--profile', join(dir, 'bad.yaml')]);
    expect(profile.code).toBe(2);
    expect(profile.stderr).toMatch(/phases\.0\.ratePerSecond/);
    const remote = await runCli(['load', '--target', 'http://203.0.113.9/prod']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/not on this machine; pass --allow-remote/);
  });

  it('exits 3 when the target is unreachable', async () => {
    const { code, stderr } = await runCli(['load', '--target', 'http://127.0.0.1:9/prod', '--profile', fixtureProfile(5, 1)]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:9\/prod/);
  });

  it('writes the JSON results and a self-contained HTML report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-'));
    const { code } = await runCli([
      'load',
      '--target',
      await server(5),
      '--profile',
      fixtureProfile(30, 2),
      '--out',
      join(dir, 'r.json'),
      '--report',
      join(dir, 'r.html'),
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json).toMatchObject({ schemaVersion: 1, total: { sent: 60, completed: 60 }, phases: [{ name: 'steady', sent: 60 }] });
    expect(json.timeline).toHaveLength(2);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src="http|href="http/);
  });
});

function fixtureProfile(ratePerSecond: number, durationSeconds: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'profile-'));
  const file = join(dir, 'p.json');
  writeFileSync(file, JSON.stringify(steady(ratePerSecond, durationSeconds)));
  return file;
}
