import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Evaluation, PlanSettings } from '../plan/evaluation.ts';
import type { Prediction } from '../plan/prediction.ts';

const require = createRequire(import.meta.url);

/** uPlot's script and styles, inlined so the report opens anywhere without a network (as the dashboard bundles them). */
function uplotAssets(): { script: string; css: string } {
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A chart for the page's script: x values, named series, and the axis labels. */
interface ChartData {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: number[];
  readonly series: { label: string; color: string; values: number[]; points?: boolean }[];
}

/** Demand against capacity over time on the table and each GSI, and outcomes per second. */
function timelineCharts(prefix: string, title: string, prediction: Prediction): ChartData[] {
  const x = prediction.timeline.map((s) => s.second);
  const names = [...new Set(prediction.timeline.flatMap((s) => Object.keys(s.reads)))];
  const palette = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#f59e0b', '#0891b2'];
  const short = (name: string) => (name.includes('/') ? `GSI ${name.split('/').pop()}` : 'table');
  const series: ChartData['series'] = names.flatMap((name, i) => [
    {
      label: `${short(name)} demanded`,
      color: palette[(3 * i) % palette.length] as string,
      values: prediction.timeline.map((s) => (s.reads[name]?.demanded ?? 0) / s.seconds),
    },
    {
      label: `${short(name)} consumed`,
      color: palette[(3 * i + 1) % palette.length] as string,
      values: prediction.timeline.map((s) => (s.reads[name]?.consumed ?? 0) / s.seconds),
    },
    {
      label: `${short(name)} provisioned`,
      color: palette[(3 * i + 2) % palette.length] as string,
      values: prediction.timeline.map((s) => s.reads[name]?.provisioned ?? 0),
    },
  ]);
  // The lab's lesson: the bucket of unused capacity drains while demand is above what is provisioned.
  const burstSeries: ChartData['series'] = names
    .filter((name) => prediction.timeline.some((s) => (s.reads[name]?.provisioned ?? 0) > 0))
    .map((name, i) => ({
      label: `${short(name)} burst bucket`,
      color: palette[i % palette.length] as string,
      values: prediction.timeline.map((s) => s.reads[name]?.burst ?? 0),
    }));
  return [
    {
      id: `${prefix}-capacity`,
      title: `${title}: read units per second, demanded (every attempt), consumed and provisioned`,
      xLabel: 's',
      yLabel: 'units/s',
      x,
      series,
    },
    ...(burstSeries.length > 0
      ? [
          {
            id: `${prefix}-burst`,
            title: `${title}: read units left in the burst bucket (up to 300 s of unused capacity)`,
            xLabel: 's',
            yLabel: 'units',
            x,
            series: burstSeries,
          },
        ]
      : []),
    {
      id: `${prefix}-outcomes`,
      title: `${title}: requests per second`,
      xLabel: 's',
      yLabel: 'req/s',
      x,
      series: [
        { label: 'arriving', color: '#2563eb', values: prediction.timeline.map((s) => s.requests / s.seconds) },
        { label: 'ok', color: '#16a34a', values: prediction.timeline.map((s) => s.ok / s.seconds) },
        { label: 'throttled calls', color: '#dc2626', values: prediction.timeline.map((s) => s.throttled / s.seconds) },
      ],
    },
  ];
}

/** The candidates' cost against their errors: the frontier the search walks. */
function frontierChart(ranked: readonly Evaluation[]): ChartData {
  const sorted = [...ranked].sort((a, b) => a.cost.perMonthUsd - b.cost.perMonthUsd);
  return {
    id: 'frontier',
    title: 'Candidates: cost per month against predicted errors (worse burst assumption)',
    xLabel: '$/month',
    yLabel: 'errors %',
    x: sorted.map((e) => e.cost.perMonthUsd),
    series: [
      {
        label: 'meets the SLOs',
        color: '#16a34a',
        points: true,
        values: sorted.map((e) => (e.meetsSlo ? 100 * e.errorShare : Number.NaN)),
      },
      { label: 'fails them', color: '#dc2626', points: true, values: sorted.map((e) => (e.meetsSlo ? Number.NaN : 100 * e.errorShare)) },
    ],
  };
}

function costRows(evaluation: Evaluation): string {
  const month = new Map(evaluation.cost.monthLines.map((l) => [`${l.service}|${l.item}`, l.usd]));
  return evaluation.cost.lines
    .map(
      (l) =>
        `<tr><th>${escapeHtml(`${l.service}: ${l.item}`)}</th><td>$${l.usd.toFixed(4)}</td><td>$${(month.get(`${l.service}|${l.item}`) ?? 0).toFixed(2)}</td></tr>`,
    )
    .join('');
}

/** Writes the plan as one self-contained HTML page: charts (uPlot, inlined), cost lines, the ranking. */
export function writePlanReport(
  file: string,
  input: { settings: PlanSettings; baseline: Evaluation; chosen: Evaluation; ranked: readonly Evaluation[] },
): void {
  const { settings, baseline, chosen, ranked } = input;
  const charts = [
    ...timelineCharts('start', 'Starting configuration, burst bucket empty', baseline.predictions.empty),
    ...(chosen !== baseline ? timelineCharts('winner', 'Recommendation, burst bucket empty', chosen.predictions.empty) : []),
    ...(ranked.length > 0 ? [frontierChart(ranked)] : []),
  ];
  const { script, css } = uplotAssets();
  const ranking = ranked
    .slice(0, 20)
    .map(
      (e, i) =>
        `<tr><th>${i + 1}. ${escapeHtml(e.candidate.label)}</th><td>$${e.cost.perEventUsd.toFixed(4)}</td><td>$${e.cost.perMonthUsd.toFixed(2)}</td><td>${(100 * e.errorShare).toFixed(2)}%</td><td>${e.p99Ms.toFixed(0)}</td><td>${e.meetsSlo ? 'yes' : 'no'}</td></tr>`,
    )
    .join('');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Capacity plan: ${escapeHtml(settings.profile.name)}</title><style>${css}
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;max-width:1100px;color:#111}table{border-collapse:collapse;margin:1rem 0}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}th{text-align:left;font-weight:normal}</style></head><body>
<h1>Capacity plan: ${escapeHtml(settings.profile.name)}</h1>
<p>Prices ${escapeHtml(settings.prices.region)} as of ${escapeHtml(settings.prices.asOf)}. SLOs: ${settings.checks.map((c) => `<code>${escapeHtml(c.expression)}</code>`).join(', ')}. Alarms act ${settings.alarmDelayMs / 1000} s after their data; UpdateTable applies in ${settings.capacityApplyMs / 1000} s.</p>
<p>Starting configuration: ${escapeHtml(baseline.candidate.label)}, $${baseline.cost.perMonthUsd.toFixed(2)} per month. ${chosen !== baseline ? `Recommendation: ${escapeHtml(chosen.candidate.label)}, $${chosen.cost.perMonthUsd.toFixed(2)} per month.` : ''}</p>
<div id="charts"></div>
<h2>Cost lines of ${escapeHtml(chosen.candidate.label)}</h2><table><thead><tr><th>line</th><th>event</th><th>month</th></tr></thead><tbody>${costRows(chosen)}</tbody></table>
${ranking ? `<h2>Ranking</h2><table><thead><tr><th>configuration</th><th>$/event</th><th>$/month</th><th>errors</th><th>p99 ms</th><th>meets SLO</th></tr></thead><tbody>${ranking}</tbody></table>` : ''}
<script>${script}</script>
<script>
const charts = ${JSON.stringify(charts).replace(/</g, '\\u003c')};
for (const c of charts) {
  const box = document.createElement('div');
  box.innerHTML = '<h2></h2>';
  box.querySelector('h2').textContent = c.title;
  document.getElementById('charts').appendChild(box);
  const opts = {
    width: Math.min(1050, window.innerWidth - 40), height: 260,
    scales: { x: { time: false } },
    axes: [{ label: c.xLabel }, { label: c.yLabel }],
    series: [{ label: c.xLabel }, ...c.series.map((s) => ({ label: s.label, stroke: s.color, width: 1.5, ...(s.points ? { paths: () => null, points: { show: true, size: 6, fill: s.color } } : {}) }))],
  };
  new uPlot(opts, [c.x, ...c.series.map((s) => s.values.map((v) => (Number.isNaN(v) ? null : v)))], box);
}
</script></body></html>`;
  writeFileSync(file, html);
}
