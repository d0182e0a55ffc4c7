const pattern = /^\+P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * A time relative to a start, as an ISO-8601 duration after a plus sign ("+PT2M", "+PT90S", "+P1DT2H"), in
 * milliseconds; undefined for anything else. Years and months are refused: their length depends on the date.
 */
export function relativeTimeMs(text: string): number | undefined {
  const match = pattern.exec(text);
  if (!match || text === '+P' || text.endsWith('T')) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return (
    (Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3_600 + Number(minutes ?? 0) * 60) * 1000 + Math.round(Number(seconds ?? 0) * 1000)
  );
}

/** The relative form of a duration: 90,000 ms -> "+PT1M30S". */
export function relativeTimeText(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `+PT${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds || totalSeconds === 0 ? `${seconds}S` : ''}`;
}
