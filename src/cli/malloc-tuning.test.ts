import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands } from './commands.ts';
import { hostsLocalCloud, mallocTuning, tunedEnvironment } from './malloc-tuning.ts';

describe('malloc tuning for the commands that host the local cloud', () => {
  it('applies to local, lab and plan --verify, not to other commands or to --help', () => {
    expect(hostsLocalCloud(['local', '--port', '0'])).toBe(true);
    expect(hostsLocalCloud(['lab'])).toBe(true);
    expect(hostsLocalCloud(['plan', '--profile', 'lab', '--verify'])).toBe(true);
    expect(hostsLocalCloud(['plan', '--profile', 'lab'])).toBe(false);
    expect(hostsLocalCloud(['load', '--target', 'http://127.0.0.1:1'])).toBe(false);
    expect(hostsLocalCloud(['local', '--help'])).toBe(false);
    expect(hostsLocalCloud([])).toBe(false);
  });

  it('is one list: the commands that pace their heap for the cloud are the ones whose entry says they host it', () => {
    const pacing = commands
      .filter((command) =>
        readFileSync(new URL(`./${command.name}-command.ts`, import.meta.url), 'utf8').includes('paceHeapForLocalCloud()'),
      )
      .map((command) => command.name);
    expect(pacing).toEqual(commands.filter((command) => command.hostsLocalCloud).map((command) => command.name));
  });

  it('asks for a restart only when a setting is missing, on Linux, unless TECHMODA_MALLOC=default', () => {
    expect(tunedEnvironment(['local'], { HOME: '/h' }, 'linux')).toEqual({ HOME: '/h', ...mallocTuning });
    expect(tunedEnvironment(['local'], { ...mallocTuning }, 'linux')).toBeUndefined();
    // A user's own value wins, and one of the two already set still brings the other.
    expect(tunedEnvironment(['local'], { MALLOC_ARENA_MAX: '4' }, 'linux')).toMatchObject({
      MALLOC_ARENA_MAX: '4',
      MALLOC_MMAP_THRESHOLD_: '131072',
    });
    expect(tunedEnvironment(['local'], { TECHMODA_MALLOC: 'default' }, 'linux')).toBeUndefined();
    expect(tunedEnvironment(['local'], {}, 'darwin')).toBeUndefined();
    expect(tunedEnvironment(['load'], {}, 'linux')).toBeUndefined();
  });
});
