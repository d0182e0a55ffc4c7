import type { Evaluation } from '../plan/evaluation.ts';
import type { Prediction } from '../plan/prediction.ts';

const round = (value: number) => Math.round(value);
const usd = (value: number) => (value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);
const percent = (share: number) => `${(100 * share).toFixed(share > 0 && share < 0.001 ? 3 : 2)}%`;

/** A fixed-width table. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The prediction phase by phase: requests, ok, throttles by layer, latency, peak concurrency, capacity. */
export function predictionTable(prediction: Prediction): string {
  const rows = [...prediction.phases, { ...prediction.total, name: 'total', peakConcurrency: {}, capacity: {} }].map((p) => [
    p.name,
    String(round(p.requests)),
    String(round(p.ok)),
    String(round(p.throttled.gateway)),
    String(round(p.throttled.lambda)),
    String(round(p.throttled.dynamodb)),
    p.p50Ms.toFixed(0),
    p.p99Ms.toFixed(0),
    Object.entries(p.peakConcurrency)
      .filter(([, c]) => c >= 0.5)
      .map(([fn, c]) => `${fn} ${round(c)}`)
      .join(', ') || '-',
    Object.entries(p.capacity)
      .map(
        ([name, c]) =>
          `${name.includes('/') ? name.split('/').pop() : 'table'} ${c.read[0] === c.read[1] ? c.read[0] : `${c.read[0]}->${c.read[1]}`}`,
      )
      .join(', ') || 'on-demand',
  ]);
  return table(['phase', 'requests', 'ok', '429', '500', '503', 'p50 ms', 'p99 ms', 'peak concurrency', 'read capacity'], rows);
}

/** Alarm transitions into and out of ALARM, and scaling activities, with their second. */
export function eventLines(prediction: Prediction): string[] {
  const lines: string[] = [];
  for (const a of prediction.alarms)
    if (a.to === 'ALARM' || a.from === 'ALARM')
      lines.push(`  ${String(a.second).padStart(5)} s  alarm ${a.alarmName}: ${a.from} -> ${a.to}`);
  for (const a of prediction.activities)
    lines.push(
      `  ${String(a.second).padStart(5)} s  scaling ${a.resourceId} ${a.scalableDimension.split(':').pop()}: ${a.fromCapacity} -> ${a.toCapacity} ${a.statusCode}`,
    );
  return lines.sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
}

/** The ranked candidates: configuration, cost per event and per month, predicted errors and p99, SLO. */
export function rankingTable(ranked: readonly Evaluation[], limit: number): string {
  const rows = ranked
    .slice(0, limit)
    .map((e, i) => [
      String(i + 1),
      e.candidate.label,
      usd(e.cost.perEventUsd),
      usd(e.cost.perMonthUsd),
      percent(e.errorShare),
      e.p99Ms.toFixed(0),
      e.meetsSlo ? 'yes' : 'no',
    ]);
  return table(['#', 'configuration', '$/event', '$/month', 'errors', 'p99 ms', 'meets SLO'], rows);
}

/** Cost lines of an evaluation, the event's and the month's side by side. */
export function costTable(evaluation: Evaluation): string {
  const month = new Map(evaluation.cost.monthLines.map((l) => [`${l.service}|${l.item}`, l.usd]));
  const rows = evaluation.cost.lines
    .filter((l) => l.usd > 0 || (month.get(`${l.service}|${l.item}`) ?? 0) > 0)
    .map((l) => [`${l.service}: ${l.item}`, usd(l.usd), usd(month.get(`${l.service}|${l.item}`) ?? 0)]);
  rows.push(['total', usd(evaluation.cost.perEventUsd), usd(evaluation.cost.perMonthUsd)]);
  return table(['line', 'event', 'month'], rows);
}

/** The --profile argument as a shell would need it again: a built-in name, or the file's path. */
export function profileArgument(given: string): string {
  return /^[\w./-]+$/.test(given) ? given : `'${given.replace(/'/g, "'\\''")}'`;
}
