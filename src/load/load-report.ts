import type { CheckResult } from './load-checks.ts';
import type { PhaseSummary, SecondSummary } from './load-results.ts';

/** Everything a load report says; also the --out JSON (schemaVersion 1, documented in the README). */
export interface LoadReport {
  readonly schemaVersion: 1;
  readonly target: string;
  readonly profile: {
    readonly name: string;
    readonly description?: string | undefined;
    readonly phases: readonly unknown[];
    readonly mix: Record<string, number | undefined>;
  };
  readonly startedAt: string;
  readonly phases: readonly PhaseSummary[];
  readonly total: PhaseSummary;
  readonly timeline: readonly SecondSummary[];
  /** Requests sent by kind, as the mix built them. */
  readonly sentByKind?: Readonly<Record<string, number>> | undefined;
  readonly checks: readonly CheckResult[];
  readonly writes?: { readonly acknowledged: number; readonly verified: number; readonly missing: readonly string[] } | undefined;
  /** The local cloud's view of the same minutes (npm run lab). */
  readonly cloud?: CloudView | undefined;
  /** Set when the run was made by another engine and read back with --import: which, and what its data lacks. */
  readonly engine?: { readonly name: 'artillery' | 'k6'; readonly file: string; readonly cannotGive: readonly string[] } | undefined;
}

/** What the local cloud saw during each phase (npm run lab). */
export interface CloudView {
  readonly timeScale: number;
  readonly phases: readonly {
    readonly name: string;
    readonly throttles: { readonly gateway: number; readonly lambda: number; readonly dynamodb: number };
    readonly peakConcurrency: Record<string, number>;
    readonly capacity: Record<string, string>;
    readonly alarms: readonly string[];
    readonly scaling: readonly string[];
  }[];
  /** Read capacity of the table and each GSI over the run, per second from the load's start. */
  readonly capacityTimeline?: readonly CapacityTimeline[] | undefined;
}

/** One table's or GSI's read units over a run: provisioned, consumed, and what is left in the burst bucket. */
export interface CapacityTimeline {
  readonly name: string;
  readonly samples: readonly { second: number; provisioned: number; consumed: number; burst: number }[];
}

/** Fixed-width text table of per-phase figures, for the terminal. */
export function summaryTable(phases: readonly PhaseSummary[], total: PhaseSummary): string {
  const header = [
    'phase',
    'target/s',
    'sent',
    'done',
    'rate/s',
    '2xx',
    '4xx',
    '429',
    '500',
    '502',
    '503',
    '504',
    'timeout',
    'conn',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'p99.9 ms',
    'max ms',
    'lag p99',
  ];
  const rows = [...phases, total].map((p) => [
    p.name,
    p.targetRatePerSecond.from === p.targetRatePerSecond.to
      ? `${p.targetRatePerSecond.from}`
      : `${p.targetRatePerSecond.from}->${p.targetRatePerSecond.to}`,
    p.sent,
    p.completed,
    p.achievedRatePerSecond.toFixed(1),
    p.outcomes['2xx'],
    p.outcomes['4xx'],
    p.outcomes['429'],
    p.outcomes['500'],
    p.outcomes['502'],
    p.outcomes['503'],
    p.outcomes['504'],
    p.outcomes.timeout,
    p.outcomes['connection-error'],
    p.latencyMs.p50.toFixed(1),
    p.latencyMs.p90.toFixed(1),
    p.latencyMs.p99.toFixed(1),
    p.latencyMs['p99.9'].toFixed(1),
    p.latencyMs.max.toFixed(1),
    p.scheduleLagMs ? p.scheduleLagMs.p99.toFixed(2) : '-',
  ]);
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => (row[i] as string).length)));
  return cells
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  '))
    .join('\n');
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One self-contained HTML file: charts as inline SVG, phases shaded, readable offline. */
export function renderHtml(report: LoadReport): string {
  const timeline = report.timeline;
  const phaseBands = phaseRanges(report);
  const charts = [
    chart(
      'Requests per second',
      'req/s',
      timeline,
      [
        { label: 'sent', color: '#2563eb', value: (s) => s.sent },
        { label: 'completed', color: '#16a34a', value: (s) => s.completed },
      ],
      phaseBands,
    ),
    chart(
      'Latency from intended send time',
      'ms',
      timeline,
      [
        { label: 'p50', color: '#0891b2', value: (s) => s.p50Ms },
        { label: 'p99', color: '#dc2626', value: (s) => s.p99Ms },
      ],
      phaseBands,
    ),
    chart(
      'Outcomes per second',
      'req/s',
      timeline,
      [
        { label: '2xx', color: '#16a34a', value: (s) => s.outcomes['2xx'] ?? 0 },
        { label: '429 gateway throttle', color: '#f59e0b', value: (s) => s.outcomes['429'] ?? 0 },
        { label: '500 Lambda throttle', color: '#9333ea', value: (s) => s.outcomes['500'] ?? 0 },
        { label: '503 DynamoDB throttle', color: '#dc2626', value: (s) => s.outcomes['503'] ?? 0 },
        {
          label: 'other errors',
          color: '#6b7280',
          value: (s) =>
            (s.outcomes['502'] ?? 0) +
            (s.outcomes['504'] ?? 0) +
            (s.outcomes['other-5xx'] ?? 0) +
            (s.outcomes.timeout ?? 0) +
            (s.outcomes['connection-error'] ?? 0),
        },
      ],
      phaseBands,
    ),
  ];
  const rows = [...report.phases, report.total]
    .map(
      (p) =>
        `<tr><th>${escapeHtml(p.name)}</th><td>${p.sent}</td><td>${p.achievedRatePerSecond.toFixed(1)}</td><td>${p.outcomes['2xx']}</td><td>${p.throttled.gateway}</td><td>${p.throttled.lambda}</td><td>${p.throttled.dynamodb}</td><td>${p.errors}</td><td>${p.latencyMs.p50.toFixed(1)}</td><td>${p.latencyMs.p99.toFixed(1)}</td><td>${p.latencyMs['p99.9'].toFixed(1)}</td><td>${p.latencyMs.max.toFixed(1)}</td></tr>`,
    )
    .join('');
  const checks = report.checks.length
    ? `<h2>Checks</h2><ul>${report.checks.map((c) => `<li class="${c.passed ? 'pass' : 'fail'}">${c.passed ? 'PASS' : 'FAIL'} <code>${escapeHtml(c.expression)}</code> (actual ${escapeHtml(c.actual)})</li>`).join('')}</ul>`
    : '';
  const writes = report.writes
    ? `<h2>Writes</h2><p>${report.writes.acknowledged} acknowledged, ${report.writes.verified} verified, ${report.writes.missing.length} missing.</p>`
    : '';
  const cloud = report.cloud ? cloudSection(report.cloud) + capacityCharts(report.cloud, phaseBands) : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Load report: ${escapeHtml(report.profile.name)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:1100px;color:#111}table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}th{text-align:left}
svg{display:block;margin:1rem 0;background:#fafafa;border:1px solid #eee}.pass{color:#166534}.fail{color:#b91c1c;font-weight:600}.legend span{margin-right:1rem}</style></head><body>
<h1>Load report: ${escapeHtml(report.profile.name)}</h1>
<p>Target <code>${escapeHtml(report.target)}</code>, started ${escapeHtml(report.startedAt)}. Latency is measured from each request's intended send time (open loop, no coordinated omission). Shaded bands are the profile's phases.</p>
<table><thead><tr><th>phase</th><th>sent</th><th>rate/s</th><th>2xx</th><th>429 gateway</th><th>500 Lambda</th><th>503 DynamoDB</th><th>errors</th><th>p50 ms</th><th>p99 ms</th><th>p99.9 ms</th><th>max ms</th></tr></thead><tbody>${rows}</tbody></table>
${charts.join('\n')}${checks}${writes}${cloud}</body></html>`;
}

interface Series<T = SecondSummary> {
  readonly label: string;
  readonly color: string;
  readonly value: (second: T) => number;
}

function phaseRanges(report: LoadReport): { name: string; from: number; to: number }[] {
  let at = 0;
  return report.phases.map((p) => {
    const range = { name: p.name, from: at, to: at + p.durationSeconds };
    at += p.durationSeconds;
    return range;
  });
}

function chart<T extends { readonly second: number }>(
  title: string,
  unit: string,
  timeline: readonly T[],
  series: readonly Series<T>[],
  phases: readonly { name: string; from: number; to: number }[],
): string {
  const width = 1000;
  const height = 220;
  const pad = { left: 56, right: 10, top: 24, bottom: 26 };
  const seconds = Math.max(1, phases[phases.length - 1]?.to ?? timeline.length);
  const max = Math.max(1, ...timeline.flatMap((s) => series.map((line) => line.value(s))));
  const x = (second: number) => pad.left + (second / seconds) * (width - pad.left - pad.right);
  const y = (value: number) => height - pad.bottom - (value / max) * (height - pad.top - pad.bottom);
  const bands = phases
    .map(
      (p, i) =>
        `<rect x="${x(p.from)}" y="${pad.top}" width="${x(p.to) - x(p.from)}" height="${height - pad.top - pad.bottom}" fill="${i % 2 ? '#eef2ff' : '#f5f5f4'}"/><text x="${x(p.from) + 4}" y="${pad.top + 12}" font-size="11" fill="#555">${escapeHtml(p.name)}</text>`,
    )
    .join('');
  const lines = series
    .map(
      (line) =>
        `<polyline fill="none" stroke="${line.color}" stroke-width="1.5" points="${timeline.map((s) => `${x(s.second + 0.5).toFixed(1)},${y(line.value(s)).toFixed(1)}`).join(' ')}"/>`,
    )
    .join('');
  const ticks = [0, 0.5, 1]
    .map((f) => `<text x="${pad.left - 6}" y="${y(max * f) + 4}" font-size="11" text-anchor="end">${formatTick(max * f)}</text>`)
    .join('');
  const legend = series.map((line) => `<span style="color:${line.color}">&#9632; ${escapeHtml(line.label)}</span>`).join('');
  const latest = timeline[timeline.length - 1];
  const summary = latest ? series.map((line) => `${line.label} ${formatTick(line.value(latest))}`).join(', ') : 'no data';
  return `<h2>${escapeHtml(title)} (${unit})</h2><div class="legend">${legend}</div>
<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${title}; last second: ${summary}`)}">${bands}${lines}${ticks}<text x="${width - pad.right}" y="${height - 6}" font-size="11" text-anchor="end">${seconds} s</text></svg>`;
}

function formatTick(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function cloudSection(cloud: CloudView): string {
  const rows = cloud.phases
    .map(
      (p) =>
        `<tr><th>${escapeHtml(p.name)}</th><td>${p.throttles.gateway}</td><td>${p.throttles.lambda}</td><td>${p.throttles.dynamodb}</td><td style="text-align:left">${escapeHtml(
          Object.entries(p.peakConcurrency)
            .map(([f, n]) => `${f} ${n}`)
            .join(', '),
        )}</td><td style="text-align:left">${escapeHtml(
          Object.entries(p.capacity)
            .map(([r, c]) => `${r}: ${c}`)
            .join('; '),
        )}</td><td style="text-align:left">${p.alarms.map(escapeHtml).join('<br>')}</td><td style="text-align:left">${p.scaling.map(escapeHtml).join('<br>')}</td></tr>`,
    )
    .join('');
  return `<h2>The cloud's view (local cloud, time scale ${cloud.timeScale}x)</h2><table><thead><tr><th>phase</th><th>gateway throttles</th><th>Lambda throttles</th><th>DynamoDB throttle events</th><th>peak concurrency</th><th>capacity (read units)</th><th>alarm transitions</th><th>scaling activities</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * The lab's lesson drawn: read capacity provisioned against consumed, and the burst bucket draining while
 * consumption runs above what is provisioned (only the live dashboard showed it before).
 */
function capacityCharts(cloud: CloudView, phases: readonly { name: string; from: number; to: number }[]): string {
  return (cloud.capacityTimeline ?? [])
    .map((t) =>
      chart(
        `Read capacity of ${t.name}: provisioned, consumed and the burst bucket`,
        'units',
        t.samples,
        [
          { label: 'provisioned (units/s)', color: '#2563eb', value: (s) => s.provisioned },
          { label: 'consumed (units/s)', color: '#16a34a', value: (s) => s.consumed },
          { label: 'burst bucket (units)', color: '#f59e0b', value: (s) => s.burst },
        ],
        phases,
      ),
    )
    .join('\n');
}
