import type { Prediction } from '../plan/prediction.ts';
import type { Evaluation } from './plan-evaluation.ts';
import { plannedSaleName } from './plan-space.ts';

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

/** `-c key=value` flags, quoted for a POSIX shell where needed. */
export function contextFlags(context: Readonly<Record<string, string>>): string {
  return Object.entries(context)
    .map(([key, value]) => (/^[\w.:+-]+$/.test(value) ? `-c ${key}=${value}` : `-c '${key}=${value.replace(/'/g, "'\\''")}'`))
    .join(' ');
}

/** Which burst assumption a configuration's verdict depends on. */
export function burstDependence(evaluation: Evaluation): string {
  const full = evaluation.checks.full?.every((c) => c.passed) ?? false;
  const empty = evaluation.checks.empty.every((c) => c.passed);
  if (full && empty)
    return 'It meets the SLOs with the burst bucket full and with it empty: it does not depend on burst capacity saved before the run.';
  if (full && !empty)
    return 'It meets the SLOs only if the burst bucket starts full (300 s of unused capacity saved). With it empty it fails, and AWS calls burst best effort: do not count on it.';
  if (!full && empty) return 'It meets the SLOs with the bucket empty but not full (unusual: see the phases).';
  return 'It fails the SLOs with the burst bucket full and with it empty.';
}

/** What limits a configuration most in its prediction (burst bucket empty): the resources closest to their limits. */
export function whatBinds(evaluation: Evaluation): string[] {
  const prediction = evaluation.predictions.empty;
  const lines: { share: number; text: string }[] = [];
  for (const sample of prediction.timeline) {
    for (const [name, reads] of Object.entries(sample.reads)) {
      if (reads.provisioned <= 0) continue;
      const share = reads.consumed / sample.seconds / reads.provisioned;
      const beyond = share > 1 ? ': burst capacity (unused capacity saved before, up to 300 s of it) covers the rest' : '';
      lines.push({
        share,
        text: `DynamoDB reads on ${name} reach ${(100 * share).toFixed(0)}% of provisioned capacity at ${sample.second} s${beyond}`,
      });
    }
  }
  for (const fn of evaluation.model.functions) {
    const peak = Math.max(0, ...prediction.phases.map((p) => p.peakConcurrency[fn.name] ?? 0));
    if (fn.reservedConcurrency)
      lines.push({
        share: peak / fn.reservedConcurrency,
        text: `${fn.name} peaks at ${round(peak)} of its ${fn.reservedConcurrency} reserved concurrency`,
      });
  }
  const best = new Map<string, { share: number; text: string }>();
  for (const line of lines) {
    const key = line.text.split(' reach')[0]?.split(' peaks')[0] ?? line.text;
    if ((best.get(key)?.share ?? -1) < line.share) best.set(key, line);
  }
  const top = [...best.values()].sort((a, b) => b.share - a.share).slice(0, 2);
  const out = top.map((l) => l.text);
  if (evaluation.config?.billingMode === 'on-demand')
    out.unshift(
      'On-demand serves up to double the previous peak at once (a new table: 12,000 read units per second), so the spike never waits for scaling; the price is per request.',
    );
  const sale = evaluation.config?.sales.find((s) => s.name === plannedSaleName);
  if (sale)
    out.push(
      `The scheduled raise comes ${sale.leadMinutes} min before the sale starts and must be applied (UpdateTable, --capacity-apply-seconds) before the traffic rises: a later raise or a slower apply throttles.`,
    );
  return out;
}

/** The --profile argument as a shell would need it again: a built-in name, or the file's path. */
export function profileArgument(given: string): string {
  return /^[\w./-]+$/.test(given) ? given : `'${given.replace(/'/g, "'\\''")}'`;
}
