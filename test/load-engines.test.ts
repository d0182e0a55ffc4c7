import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from './support/cli-process.ts';

const fixture = (path: string) => new URL(`./fixtures/${path}`, import.meta.url).pathname;
const unreachable = 'http://127.0.0.1:9/prod';

describe('techmoda load --emit: the profile for other engines', () => {
  it('writes an Artillery script: a phase per phase, the mix as weighted scenarios, latency checks as ensure', async () => {
    const { code, stdout } = await runCli([
      'load',
      '--target',
      unreachable,
      '--profile',
      'flash-sale',
      '--emit',
      'artillery',
      '--check',
      'p99<800ms',
      '--check',
      'errors<1%',
    ]);
    expect(code).toBe(0);
    const script = parseYaml(stdout);
    expect(script.config.target).toBe('http://127.0.0.1:9');
    expect(script.config.phases).toEqual([
      { name: 'baseline', duration: 60, arrivalRate: 20 },
      { name: 'jump', duration: 60, arrivalRate: 20, rampTo: 200 },
      { name: 'sale', duration: 120, arrivalRate: 200 },
      { name: 'after', duration: 60, arrivalRate: 20 },
    ]);
    expect(Object.fromEntries(script.scenarios.map((s: { name: string; weight: number }) => [s.name, s.weight]))).toEqual({
      get: 55,
      list: 15,
      listByCategory: 20,
      create: 5,
      update: 5,
    });
    expect(script.config.ensure.conditions).toEqual([{ expression: 'http.response_time.p99 < 800' }]);
    expect(stdout).toMatch(/# Checks evaluated by techmoda load --import, not by ensure: errors<1%/);
    // The target did not answer, so a get lists first: the script says it sends two requests there.
    expect(stdout).toMatch(/# Scenarios get, update send two requests each/);
  });

  it('writes a k6 script: a ramping-arrival-rate scenario per phase, and the checks as thresholds', async () => {
    const { code, stdout } = await runCli([
      'load',
      '--target',
      unreachable,
      '--profile',
      'flash-sale',
      '--emit',
      'k6',
      '--check',
      'sale:p99<1s',
      '--check',
      'errors<1%',
      '--check',
      'throttled=0',
    ]);
    expect(code).toBe(0);
    const options = JSON.parse(/export const options = (\{[\s\S]*?\n\});/.exec(stdout)?.[1] ?? '{}');
    expect(options.scenarios.jump).toMatchObject({
      executor: 'ramping-arrival-rate',
      startTime: '60s',
      startRate: 20,
      stages: [{ target: 200, duration: '60s' }],
    });
    expect(options.scenarios.sale).toMatchObject({ startTime: '120s', startRate: 200, stages: [{ target: 200, duration: '120s' }] });
    expect(options.thresholds['http_req_duration{scenario:sale}']).toEqual(['p(99)<1000', 'max>=0']);
    expect(options.thresholds.http_req_failed).toEqual(['rate<0.01']);
    expect(options.thresholds.techmoda_throttled).toEqual(['count==0']);
    expect(options.thresholds['techmoda_outcomes{scenario:sale,outcome:503}']).toEqual(['count>=0']);
    // Valid JavaScript as k6 reads it (an ES module; k6's own modules are resolved by k6, so only parse it here).
    const dir = mkdtempSync(join(tmpdir(), 'k6-'));
    writeFileSync(join(dir, 'sale.mjs'), stdout);
    expect(() => execFileSync(process.execPath, ['--check', join(dir, 'sale.mjs')])).not.toThrow();
  });

  it('makes both scripts ask for a back-office token for their writes, with the secret read only when they run', async () => {
    const token = ['--token-url', 'http://127.0.0.1:9/oauth2/token', '--client-id', 'backoffice123'];
    const artillery = await runCli(['load', '--target', unreachable, '--profile', 'flash-sale', '--emit', 'artillery', ...token]);
    expect(artillery.code).toBe(0);
    const script = parseYaml(artillery.stdout);
    // Once, before the phases: Artillery shares what `before` captures with every virtual user.
    expect(script.before.flow).toEqual([
      {
        post: {
          url: 'http://127.0.0.1:9/oauth2/token',
          auth: { user: 'backoffice123', pass: '{{ $env.TECHMODA_CLIENT_SECRET }}' },
          form: { grant_type: 'client_credentials' },
          capture: { json: '$.access_token', as: 'accessToken' },
        },
      },
    ]);
    const flow = (name: string) => script.scenarios.find((s: { name: string }) => s.name === name).flow;
    expect(flow('create')[0].post.headers.authorization).toBe('{{ accessToken }}');
    expect(flow('update')[1].put.headers.authorization).toBe('{{ accessToken }}');
    expect(JSON.stringify(flow('list'))).not.toContain('authorization');
    expect(artillery.stdout).toMatch(
      /# Writes carry a back-office token from http:\/\/127\.0\.0\.1:9\/oauth2\/token \(client backoffice123\)/,
    );

    const k6 = await runCli(['load', '--target', unreachable, '--profile', 'flash-sale', '--emit', 'k6', ...token]);
    expect(k6.code).toBe(0);
    expect(k6.stdout).toContain('const TOKEN_URL = "http://127.0.0.1:9/oauth2/token";');
    expect(k6.stdout).toContain('const CLIENT_ID = "backoffice123";');
    expect(k6.stdout).toContain('const secret = __ENV.TECHMODA_CLIENT_SECRET;');
    expect(k6.stdout.match(/headers: writeHeaders\(data, /g)).toHaveLength(4); // create, update, delete's create and delete
    const dir = mkdtempSync(join(tmpdir(), 'k6-token-'));
    writeFileSync(join(dir, 'sale.mjs'), k6.stdout);
    expect(() => execFileSync(process.execPath, ['--check', join(dir, 'sale.mjs')])).not.toThrow();
    // Without the token flags and with no local cloud to ask, writes carry nothing.
    const open = await runCli(['load', '--target', unreachable, '--profile', 'flash-sale', '--emit', 'artillery']);
    expect(parseYaml(open.stdout).before).toBeUndefined();
    expect(open.stdout).not.toContain('accessToken');
  });

  it('refuses an unknown engine with one line and exit code 2', async () => {
    const { code, stderr } = await runCli(['load', '--target', unreachable, '--emit', 'jmeter']);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(/--emit takes artillery or k6, got "jmeter"$/);
  });
});

describe('techmoda load --import: other engines read back as a run of ours', () => {
  it('reads k6 --out json= points: per-phase counts, throttles by cause, percentiles and the timeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k6-import-'));
    const { code, stdout } = await runCli([
      'load',
      '--import',
      fixture('k6/results.ndjson'),
      '--profile',
      fixture('k6/profile.yaml'),
      '--check',
      'throttled<=7',
      '--out',
      join(dir, 'run.json'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/they cannot give: latency from the intended send time/);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(report.engine.name).toBe('k6');
    expect(report.phases.map((p: { name: string; sent: number }) => [p.name, p.sent])).toEqual([
      ['baseline', 20],
      ['spike', 50],
    ]);
    expect(report.phases[1].throttled).toEqual({ gateway: 5, lambda: 0, dynamodb: 2, total: 7 });
    expect(report.phases[1].outcomes.timeout).toBe(1);
    expect(report.phases[1].latencyMs.max).toBeCloseTo(10_000, -1);
    expect(report.phases[0].scheduleLagMs).toBeNull();
    expect(report.timeline).toHaveLength(20);
  });

  it('reads a k6 --summary-export through the submetrics the emitted script asks for, and fails a check on it', async () => {
    const { code, stdout } = await runCli([
      'load',
      '--import',
      fixture('k6/summary.json'),
      '--profile',
      fixture('k6/profile.yaml'),
      '--check',
      'spike:errors<5%',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/per-phase histograms/);
    expect(stdout).toMatch(/^spike\s+5\s+50\s+50\s+5\.0\s+42\s+0\s+5\s+0\s+0\s+2\s+0\s+1\s+0/m);
    expect(stdout).toMatch(/check FAIL spike:errors<5% \(actual 16%\)/);
  });

  it('reads an Artillery JSON report: totals exactly, phases from its 10-s periods', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'artillery-import-'));
    const { code } = await runCli([
      'load',
      '--import',
      fixture('artillery/report.json'),
      '--profile',
      fixture('artillery/profile.yaml'),
      '--out',
      join(dir, 'run.json'),
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(report.engine.name).toBe('artillery');
    expect(report.total.sent).toBe(150);
    expect(report.total.outcomes['2xx']).toBe(150);
    const planned = [40, 80, 30];
    const sent = report.phases.map((phase: { sent: number }) => phase.sent);
    sent.forEach((n: number, i: number) => {
      expect(Math.abs(n - (planned[i] as number))).toBeLessThanOrEqual(1);
    });
  });

  it('ends an unreadable or unrecognised file with one line and exit code 2', async () => {
    const missing = await runCli(['load', '--import', '/nonexistent/report.json', '--profile', 'lab']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toMatch(/cannot read \/nonexistent\/report\.json/);
    const dir = mkdtempSync(join(tmpdir(), 'bad-import-'));
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const other = await runCli(['load', '--import', join(dir, 'other.json'), '--profile', 'lab']);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toMatch(/not an Artillery report \(no "aggregate"\) nor a k6 summary \(no "metrics"\)$/);
    const noProfile = await runCli(['load', '--import', fixture('k6/summary.json')]);
    expect(noProfile.code).toBe(2);
    expect(noProfile.stderr.trim()).toMatch(/--import needs --profile/);
  });
});
