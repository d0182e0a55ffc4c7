import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exitCode, runCli, startCli } from './support/cli-process.ts';

const fixture = new URL('./fixtures/gateway-stack/GatewayStack.template.json', import.meta.url).pathname;

describe('techmoda CLI', () => {
  it('lists its commands with --help', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Commands:\n\s+local\s+run the stack locally/);
  });

  it('ends an unknown command, a bad option or an unreadable template with one line and exit code 2', async () => {
    for (const [args, message] of [
      [['fly'], /unknown command "fly"/],
      [['local', '--port', 'abc'], /--port must be a whole number from 0 to 65535, got "abc"/],
      [['local', '--bogus'], /Unknown option '--bogus'/],
      [['local', '--template', '/nonexistent/stack.template.json'], /cannot read template \/nonexistent\/stack.template.json/],
    ] as const) {
      const { code, stderr } = await runCli(args);
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });

  it('local: prints its endpoints, serves, and stops cleanly with exit code 0 on SIGTERM', async () => {
    const { child, line, lines } = await startCli(['local', '--port', '0', '--template', fixture], /Ctrl-C stops/);
    expect(line).toMatch(/^Time scale 1x/);
    expect(lines[0]).toMatch(/^API http:\/\/127\.0\.0\.1:\d+\/test$/);
    expect(lines[1]).toMatch(/^DynamoDB http:\/\/127\.0\.0\.1:\d+$/);
    expect(lines.join('\n')).toContain('Not emulated (no local effect yet): AWS::SNS::Topic x1');
    const api = (lines[0] as string).slice('API '.length);
    expect((await fetch(`${api}/things/ok`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
  });

  it('local: keeps serving when its stdout closes (a pipe whose reader left), and still stops with exit code 0', async () => {
    const { child, lines } = await startCli(['local', '--port', '0', '--template', fixture], /Ctrl-C stops/);
    const api = (lines[0] as string).slice('API '.length);
    child.stdout?.destroy();
    expect((await fetch(`${api}/things/ok`)).status).toBe(200);
    child.kill('SIGTERM'); // it prints as it stops: into the closed pipe
    expect(await exitCode(child)).toBe(0);
  });

  it('local: serves from a process with glibc malloc tuned, and leaves no process behind once stopped', async () => {
    const { child } = await startCli(['local', '--port', '0', '--template', fixture], /Ctrl-C stops/);
    const pid = child.pid as number;
    // Node 22.15+ replaces the process in place (same pid); Node 20 starts the cloud as a child of the command.
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    const cloud = [...children, pid].find((candidate) => {
      const argv = readFileSync(`/proc/${candidate}/cmdline`, 'utf8').split('\0');
      return argv.some((arg) => arg.endsWith('techmoda.js')) && argv.includes('local');
    });
    const environment = readFileSync(`/proc/${cloud}/environ`, 'utf8').split('\0');
    expect(environment).toContain('MALLOC_ARENA_MAX=2');
    expect(environment).toContain('MALLOC_MMAP_THRESHOLD_=131072');
    child.kill('SIGTERM');
    expect(await exitCode(child)).toBe(0);
    const gone = () => !existsSync(`/proc/${cloud}`) || readFileSync(`/proc/${cloud}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z';
    await expect.poll(gone, { timeout: 5_000 }).toBe(true);
  });
});
