import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode, runCli, startCli } from '../support/cli-process.ts';

// npm run test:artillery: the script `techmoda load --emit artillery` writes, run by Artillery itself against the local
// cloud, read back with --import; its per-phase request counts must match the profile within 2%.
const artillery = new URL('../../.techmoda/artillery/node_modules/.bin/artillery', import.meta.url).pathname;

const profile = {
  name: 'artillery-real',
  phases: [
    { name: 'steady', durationSeconds: 20, ratePerSecond: 10 },
    { name: 'ramp', durationSeconds: 20, ratePerSecond: 10, rampToRatePerSecond: 30 },
    { name: 'after', durationSeconds: 20, ratePerSecond: 15 },
  ],
  // One request per virtual user: the target's product ids are known when the script is written.
  mix: { list: 2, listByCategory: 2, get: 5, create: 1 },
};
const planned = { steady: 200, ramp: 400, after: 300 };

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops) await stop();
});

describe('Artillery runs the emitted script, and --import reads its report', () => {
  it('sends each phase within 2% of the profile, all answered', async () => {
    const { child, lines } = await startCli(['local', '--port', '0', '--seed', '50'], /Ctrl-C stops/);
    stops.push(() => {
      child.kill('SIGTERM');
      return exitCode(child);
    });
    const api = (lines.find((l) => l.startsWith('API ')) as string).slice('API '.length);
    const dir = mkdtempSync(join(tmpdir(), 'artillery-real-'));
    writeFileSync(join(dir, 'profile.json'), JSON.stringify(profile));
    const emitted = await runCli([
      'load',
      '--target',
      api,
      '--profile',
      join(dir, 'profile.json'),
      '--emit',
      'artillery',
      '--check',
      'p99<5s',
    ]);
    expect(emitted.code).toBe(0);
    expect(emitted.stdout).not.toMatch(/two requests/);
    // The creates need the back office's token: the script asks for it once, with the secret from the environment.
    expect(emitted.stdout).toMatch(/# Writes carry a back-office token from http:\/\/127\.0\.0\.1:\d+\/oauth2\/token/);
    writeFileSync(join(dir, 'sale.yml'), emitted.stdout);
    const pools = (await (await fetch(`${new URL(api).origin}/_local/user-pools`)).json()) as {
      userPools: { clients: { clientSecret: string }[] }[];
    };
    const secret = pools.userPools[0]?.clients[0]?.clientSecret as string;
    expect(emitted.stdout).not.toContain(secret);

    const run = spawnSync(artillery, ['run', '--output', join(dir, 'report.json'), join(dir, 'sale.yml')], {
      encoding: 'utf8',
      env: { ...process.env, TECHMODA_CLIENT_SECRET: secret },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ok: http\.response_time\.p99 < 5000/);

    const imported = await runCli([
      'load',
      '--import',
      join(dir, 'report.json'),
      '--profile',
      join(dir, 'profile.json'),
      '--out',
      join(dir, 'run.json'),
    ]);
    expect(imported.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    for (const phase of report.phases as { name: keyof typeof planned; sent: number }[])
      expect(Math.abs(phase.sent - planned[phase.name]) / planned[phase.name]).toBeLessThanOrEqual(0.02);
    expect(report.total.sent).toBe(report.total.outcomes['2xx']);
  });
});
