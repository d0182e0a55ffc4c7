import { Cron } from 'croner';

/** A parsed Application Auto Scaling schedule (B 4.18). */
export interface ScheduleExpression {
  /** The first firing strictly after `afterMs`, or undefined if it never fires again. */
  nextAfter(afterMs: number): number | undefined;
}

/** An expression Application Auto Scaling would refuse. */
export class InvalidScheduleError extends Error {}

const rateUnits: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** The `at(yyyy-mm-ddThh:mm:ss)` expression of a moment, in UTC, as the CDK's `Schedule.at` writes it. */
export function atExpression(moment: Date): string {
  return `at(${moment.toISOString().slice(0, 19)})`;
}

/**
 * Parses `at(yyyy-mm-ddThh:mm:ss)`, `rate(N unit)` and `cron(min hour dom month dow year)` in `timezone`
 * (IANA name, default UTC). AWS numbers days of the week 1-7 from Sunday; they are translated for the cron engine.
 * `rate` counts from `startMs` (when the action was created).
 */
export function parseSchedule(expression: string, timezone = 'UTC', startMs = 0): ScheduleExpression {
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at) {
    const fireMs = zonedToUtc(at[1] as string, timezone);
    return { nextAfter: (afterMs) => (fireMs > afterMs ? fireMs : undefined) };
  }
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const everyMs = Number(rate[1]) * (rateUnits[rate[2] as string] as number);
    if (everyMs <= 0) throw new InvalidScheduleError(`rate must be positive: ${expression}`);
    return { nextAfter: (afterMs) => startMs + (Math.floor((afterMs - startMs) / everyMs) + 1) * everyMs };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return cronSchedule(cron[1] as string, timezone);
  throw new InvalidScheduleError(`not an at(), rate() or cron() expression: ${expression}`);
}

function cronSchedule(fields: string, timezone: string): ScheduleExpression {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new InvalidScheduleError(`cron() takes 6 fields (minutes hours day-of-month month day-of-week year): ${fields}`);
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [string, string, string, string, string, string];
  const awsDayToCron = dayOfWeek.replace(/\d+/g, (n, offset: number, whole: string) =>
    whole[offset - 1] === '#' ? n : String(Number(n) - 1),
  );
  let job: Cron;
  try {
    job = new Cron(`${minutes} ${hours} ${dayOfMonth} ${month} ${awsDayToCron}`, { timezone, paused: true });
  } catch (error) {
    throw new InvalidScheduleError(`invalid cron(${fields}): ${(error as Error).message}`);
  }
  const yearAllowed = yearMatcher(year);
  return {
    nextAfter(afterMs) {
      let from = new Date(afterMs);
      for (let i = 0; i < 10_000; i++) {
        const next = job.nextRun(from);
        if (!next) return undefined;
        if (yearAllowed(next.getUTCFullYear())) return next.getTime();
        from = next;
      }
      return undefined;
    },
  };
}

function yearMatcher(field: string): (year: number) => boolean {
  if (field === '*' || field === '?') return () => true;
  const allowed = field.split(',').map((part) => {
    const [from, to] = part.split('-').map(Number) as [number, number | undefined];
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to)))
      throw new InvalidScheduleError(`invalid cron year field: ${field}`);
    return [from, to ?? from] as const;
  });
  return (year) => allowed.some(([from, to]) => year >= from && year <= to);
}

/** Epoch ms of a wall-clock time in an IANA time zone. */
function zonedToUtc(wallClock: string, timezone: string): number {
  const asUtc = Date.parse(`${wallClock}Z`);
  if (Number.isNaN(asUtc)) throw new InvalidScheduleError(`invalid at() time: ${wallClock}`);
  if (timezone === 'UTC') return asUtc;
  // The zone's offset at that instant, found by formatting the UTC guess in the zone (twice, for DST edges).
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - ms;
  };
  const first = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(first);
}
