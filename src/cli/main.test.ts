import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CommandEntry } from './command.ts';
import { main } from './main.ts';

/** A command whose module load and run are counted. */
function countedCommand(name: string) {
  const run = vi.fn(async (_args: readonly string[]) => 0);
  const load = vi.fn(async () => ({ usage: `Usage: techmoda ${name}`, run }));
  const entry: CommandEntry = { name, summary: `${name} things`, load };
  return { entry, load, run };
}

describe('techmoda main', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lists the commands without loading any, and loads only the one it runs', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const local = countedCommand('local');
    const plan = countedCommand('plan');
    const list = [local.entry, plan.entry];

    expect(await main(['--help'], list)).toBe(0);
    expect(log.mock.calls.join('\n')).toMatch(/local\s+local things\n?.*plan\s+plan things/s);
    expect(local.load).not.toHaveBeenCalled();
    expect(plan.load).not.toHaveBeenCalled();

    expect(await main(['local', '--port', '0'], list)).toBe(0);
    expect(local.run).toHaveBeenCalledWith(['--port', '0']);
    expect(plan.load).not.toHaveBeenCalled();

    expect(await main(['plan', '--help'], list)).toBe(0);
    expect(log).toHaveBeenLastCalledWith('Usage: techmoda plan');
    expect(plan.run).not.toHaveBeenCalled();
  });

  it('refuses an unknown command with exit 2 and loads nothing', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const local = countedCommand('local');
    expect(await main(['nope'], [local.entry])).toBe(2);
    expect(error.mock.calls[0]?.[0]).toMatch(/unknown command "nope"/);
    expect(local.load).not.toHaveBeenCalled();
  });
});
