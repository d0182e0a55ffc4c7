import { describe, expect, it } from 'vitest';
import { InvalidScheduleError, parseSchedule } from './schedule-expression.ts';

const utc = (text: string) => Date.parse(text);

describe('Application Auto Scaling schedules (docs/aws-facts.md B 4.18)', () => {
  it('at(): fires once, in UTC or the given time zone', () => {
    const at = parseSchedule('at(2027-01-08T07:30:00)');
    expect(at.nextAfter(utc('2027-01-01T00:00:00Z'))).toBe(utc('2027-01-08T07:30:00Z'));
    expect(at.nextAfter(utc('2027-01-08T07:30:00Z'))).toBeUndefined();
    expect(parseSchedule('at(2027-07-01T09:00:00)', 'Europe/Paris').nextAfter(0)).toBe(utc('2027-07-01T07:00:00Z'));
  });

  it('rate(): repeats from the creation time', () => {
    const rate = parseSchedule('rate(5 minutes)', 'UTC', 1_000);
    expect(rate.nextAfter(1_000)).toBe(301_000);
    expect(rate.nextAfter(301_000)).toBe(601_000);
  });

  it('cron(): six AWS fields, days of week counted from Sunday = 1, time zone honoured', () => {
    // The DynamoDB guide's example: weekdays at 08:45.
    const weekdays = parseSchedule('cron(45 8 ? * MON-FRI *)');
    expect(weekdays.nextAfter(utc('2026-11-28T12:00:00Z'))).toBe(utc('2026-11-30T08:45:00Z')); // Saturday -> Monday
    const sundays = parseSchedule('cron(0 10 ? * 1 *)');
    expect(new Date(sundays.nextAfter(utc('2026-11-25T00:00:00Z')) as number).getUTCDay()).toBe(0);
    expect(parseSchedule('cron(0 9 * * ? *)', 'America/New_York').nextAfter(utc('2026-11-29T00:00:00Z'))).toBe(utc('2026-11-29T14:00:00Z'));
    expect(parseSchedule('cron(0 0 1 1 ? 2028)').nextAfter(utc('2026-01-01T00:00:00Z'))).toBe(utc('2028-01-01T00:00:00Z'));
  });

  it('refuses anything else', () => {
    for (const bad of ['every 5 minutes', 'cron(0 9 * * ?)', 'rate(0 minutes)', 'at(2027-13-45T00:00:00)']) {
      expect(() => parseSchedule(bad)).toThrow(InvalidScheduleError);
    }
  });
});
