import { describe, expect, it } from 'vitest';
import { relativeTimeMs, relativeTimeText } from './relative-time.ts';

describe('relative times', () => {
  it('reads ISO-8601 durations after a plus sign', () => {
    expect(relativeTimeMs('+PT2M')).toBe(120_000);
    expect(relativeTimeMs('+PT90S')).toBe(90_000);
    expect(relativeTimeMs('+P1DT2H')).toBe(93_600_000);
    expect(relativeTimeMs('+PT0S')).toBe(0);
  });

  it('refuses what is not one', () => {
    for (const text of ['PT2M', '+P', '+PT', '+P1M', '2027-01-08T08:00:00Z', '+PT-1M']) expect(relativeTimeMs(text)).toBeUndefined();
  });

  it('writes them back', () => {
    expect(relativeTimeText(90_000)).toBe('+PT1M30S');
    expect(relativeTimeText(3_600_000)).toBe('+PT1H');
    expect(relativeTimeText(0)).toBe('+PT0S');
    expect(relativeTimeMs(relativeTimeText(4_000_000))).toBe(4_000_000);
  });
});
