// The local cloud's live dashboard: the client's view and the cloud's view on one time axis. Frames arrive by
// server-sent events (one per real second); EventSource resends Last-Event-ID on reconnect and the server replays
// what was missed, so the charts have no gaps and, with the id check below, no duplicates.
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css';

import type { DashboardFrame as Frame } from '../src/dashboard/dashboard-frame.ts';
import type { LocalEvent } from '../src/local/control-plane/event-log.ts';

interface Panel {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly series: { label: string; color: string; value: (f: Frame) => number | null; scale?: string; dash?: number[] }[];
  plot?: uPlot;
  text?: HTMLElement;
  box?: HTMLElement;
}

const frames: Frame[] = [];
const seen = new Set<number>();
const events: LocalEvent[] = [];
/** The newest access-log lines the frames carried. */
const accessLines: string[] = [];
const panels: Panel[] = [];
let rangeMinutes = 15;
let source: EventSource | undefined;

const style = document.createElement('style');
style.textContent = `${uPlotCss}
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#111;background:#fff}
header{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;padding:.6rem 1rem;border-bottom:1px solid #ddd;position:sticky;top:0;background:#fff;z-index:2}
header h1{font-size:1.1rem;margin:0}
main{padding:.5rem 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,440px),1fr));gap:1rem}
section.panel{border:1px solid #e5e5e5;border-radius:6px;padding:.5rem;min-width:0}
section.panel h3{font-size:.95rem;margin:.1rem 0 .3rem}
.latest{font-size:.8rem;color:#444;margin:.25rem 0 0}
.range button{border:1px solid #bbb;background:#f7f7f7;padding:.15rem .5rem;border-radius:4px;cursor:pointer}
.range button[aria-pressed=true]{background:#1d4ed8;color:#fff;border-color:#1d4ed8}
.status{font-size:.85rem;color:#555}
.alarm{display:flex;gap:.5rem;align-items:center;font-size:.8rem;margin:.15rem 0}
.alarm .name{flex:0 0 40%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.strip{display:flex;flex:1;height:12px;min-width:0}.strip span{flex:1}
.OK{background:#22c55e}.ALARM{background:#dc2626}.INSUFFICIENT_DATA{background:#d4d4d4}
#activity{max-height:280px;overflow:auto;font-size:.8rem;padding-left:1.2rem}
#access{max-height:220px;overflow:auto;font:.72rem/1.3 ui-monospace,monospace;padding-left:1.2rem;word-break:break-all}
h2{font-size:1rem;margin:1rem 0 .5rem}`;
document.head.append(style);

const app = document.getElementById('app') as HTMLElement;
app.innerHTML = `<header><h1>TechModa local cloud</h1><span id="scale" class="status"></span>
<span class="range" role="group" aria-label="Time range">${[5, 15, 60].map((m) => `<button data-minutes="${m}" aria-pressed="${m === rangeMinutes}">${m} min</button>`).join(' ')}</span>
<span id="status" class="status" aria-live="polite">connecting...</span></header>
<main><h2>API (client's view)</h2><div class="grid" id="api"></div>
<h2>Lambda</h2><div class="grid" id="lambda"></div>
<h2>DynamoDB</h2><div class="grid" id="dynamodb"></div>
<h2>Alarms</h2><div id="alarms"></div>
<h2>Scaling activities and alarm transitions</h2><ol id="activity" reversed></ol>
<h2>Access log (the stage's format; a sample of the newest requests)</h2><ol id="access" reversed></ol></main>`;
for (const button of app.querySelectorAll<HTMLButtonElement>('.range button')) {
  button.addEventListener('click', () => {
    rangeMinutes = Number(button.dataset.minutes);
    for (const b of app.querySelectorAll<HTMLButtonElement>('.range button')) b.setAttribute('aria-pressed', String(b === button));
    render();
  });
}

const colors = ['#16a34a', '#f59e0b', '#9333ea', '#dc2626', '#2563eb', '#0891b2', '#6b7280'];

function definePanels(first: Frame): void {
  panels.push(
    {
      id: 'api-rate',
      title: 'Requests per second by outcome',
      unit: 'req/s',
      series: [
        { label: '2xx', color: colors[0] as string, value: (f) => f.api['2xx'] ?? 0 },
        { label: '4xx', color: colors[6] as string, value: (f) => f.api['4xx'] ?? 0 },
        { label: '429', color: colors[1] as string, value: (f) => f.api['429'] ?? 0 },
        { label: '5xx', color: colors[3] as string, value: (f) => f.api['5xx'] ?? 0 },
      ],
    },
    {
      id: 'api-latency',
      title: 'Latency',
      unit: 'ms',
      series: [
        { label: 'p50', color: colors[5] as string, value: (f) => f.api.p50 ?? null },
        { label: 'p99', color: colors[3] as string, value: (f) => f.api.p99 ?? null },
      ],
    },
  );
  for (const name of Object.keys(first.functions)) {
    panels.push(
      {
        id: `fn-${name}-concurrency`,
        title: `${name}: concurrent executions`,
        unit: 'environments',
        series: [
          { label: 'concurrent', color: colors[4] as string, value: (f) => f.functions[name]?.concurrency ?? 0 },
          { label: 'reserved', color: colors[3] as string, value: (f) => f.functions[name]?.reserved ?? null, dash: [6, 4] },
          { label: 'provisioned', color: colors[0] as string, value: (f) => f.functions[name]?.provisioned || null, dash: [2, 3] },
        ],
      },
      {
        id: `fn-${name}-health`,
        title: `${name}: throttles, cold starts, duration p99`,
        unit: 'per s | ms',
        series: [
          { label: 'throttles/s', color: colors[3] as string, value: (f) => f.functions[name]?.throttles ?? 0 },
          { label: 'cold starts/s', color: colors[1] as string, value: (f) => f.functions[name]?.coldStarts ?? 0 },
          { label: 'duration p99 ms', color: colors[5] as string, value: (f) => f.functions[name]?.durationP99 ?? null, scale: 'ms' },
        ],
      },
    );
  }
  for (const resource of Object.keys(first.tables)) {
    for (const kind of ['read', 'write'] as const) {
      panels.push({
        id: `ddb-${resource}-${kind}`,
        title: `${resource.replace('/index/', ' GSI ')}: ${kind}s`,
        unit: 'units/s | burst units',
        series: [
          { label: 'consumed', color: colors[4] as string, value: (f) => f.tables[resource]?.[`${kind}Consumed`] ?? 0 },
          {
            label: 'provisioned',
            color: colors[0] as string,
            value: (f) => f.tables[resource]?.[`${kind}Provisioned`] ?? null,
            dash: [6, 4],
          },
          { label: 'throttle events/s', color: colors[3] as string, value: (f) => f.tables[resource]?.[`${kind}Throttles`] ?? 0 },
          { label: 'burst level', color: colors[2] as string, value: (f) => f.tables[resource]?.[`${kind}Burst`] ?? null, scale: 'burst' },
        ],
      });
    }
  }
  for (const panel of panels) {
    const parent = document.getElementById(
      panel.id.startsWith('api') ? 'api' : panel.id.startsWith('fn') ? 'lambda' : 'dynamodb',
    ) as HTMLElement;
    const section = document.createElement('section');
    section.className = 'panel';
    section.innerHTML = `<h3>${panel.title} <small>(${panel.unit})</small></h3><div class="chart" role="img"></div><p class="latest"></p>`;
    parent.append(section);
    panel.box = section.querySelector('.chart') as HTMLElement;
    panel.text = section.querySelector('.latest') as HTMLElement;
    panel.plot = new uPlot(
      {
        width: Math.max(280, panel.box.clientWidth || 420),
        height: 180,
        scales: { x: { time: true }, ms: { auto: true }, burst: { auto: true } },
        axes: [
          {},
          { size: 50 },
          ...(panel.series.some((s) => s.scale)
            ? [{ scale: panel.series.find((s) => s.scale)?.scale, side: 1, grid: { show: false }, size: 50 }]
            : []),
        ],
        series: [
          {},
          ...panel.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            scale: s.scale ?? 'y',
            dash: s.dash,
            spanGaps: false,
          })),
        ],
        hooks: { drawAxes: [shadePhases], draw: [drawMarkers] },
      },
      [[], ...panel.series.map(() => [])] as unknown as uPlot.AlignedData,
      panel.box,
    );
  }
}

/** Load phases (announced by techmoda load / npm run lab) shaded behind every chart. */
function shadePhases(u: uPlot): void {
  const ctx = u.ctx;
  for (const [i, band] of phaseBands().entries()) {
    const left = u.valToPos(band.from / 1000, 'x', true);
    const right = u.valToPos(band.to / 1000, 'x', true);
    ctx.fillStyle = i % 2 ? 'rgba(99,102,241,0.10)' : 'rgba(234,179,8,0.12)';
    ctx.fillRect(left, u.bbox.top, Math.max(1, right - left), u.bbox.height);
  }
}

const markerColors: Record<string, string> = { scaling: '#1d4ed8', refused: '#d97706', alarm: '#dc2626' };

/** Scaling activities and alarm transitions as vertical markers. */
function drawMarkers(u: uPlot): void {
  const ctx = u.ctx;
  ctx.save();
  ctx.setLineDash([4, 3]);
  for (const marker of markers()) {
    const x = u.valToPos(marker.atMs / 1000, 'x', true);
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.strokeStyle = markerColors[marker.kind] ?? '#dc2626';
    ctx.beginPath();
    ctx.moveTo(x, u.bbox.top);
    ctx.lineTo(x, u.bbox.top + u.bbox.height);
    ctx.stroke();
  }
  ctx.restore();
}

function phaseBands(): { name: string; from: number; to: number }[] {
  const bands: { name: string; from: number; to: number }[] = [];
  for (const e of events.filter((x) => x.type === 'phase')) {
    if (e.state === 'start') bands.push({ name: e.name, from: e.virtualAtMs, to: frames[frames.length - 1]?.t ?? e.virtualAtMs });
    else {
      const open = [...bands].reverse().find((b) => b.name === e.name);
      if (open) open.to = e.virtualAtMs;
    }
  }
  return bands;
}

function markers(): { atMs: number; kind: string }[] {
  // Every scaling activity; alarm transitions into or out of ALARM (start-up's INSUFFICIENT_DATA -> OK is noise).
  return events
    .filter(
      (e) =>
        (e.type === 'scaling' && e.activity.statusCode !== 'Successful') ||
        (e.type === 'alarm' && (e.to === 'ALARM' || e.from === 'ALARM')),
    )
    .map((e) =>
      e.type === 'scaling'
        ? // A refused change (its table busy with another update) is marked apart: the queueing a sale can suffer.
          { atMs: e.activity.startTimeMs, kind: e.activity.statusCode === 'Failed' ? 'refused' : 'scaling' }
        : { atMs: e.virtualAtMs, kind: e.type },
    );
}

function render(): void {
  const last = frames[frames.length - 1];
  if (!last) return;
  const scale = document.getElementById('scale') as HTMLElement;
  scale.textContent = `time scale ${last.timeScale}x${last.timeScale !== 1 ? ` (1 real second = ${last.periodSeconds} s of cloud time)` : ''}`;
  const from = last.t - rangeMinutes * 60_000;
  const shown = frames.filter((f) => f.t >= from);
  const xs = shown.map((f) => f.t / 1000);
  for (const panel of panels) {
    panel.plot?.setData([xs, ...panel.series.map((s) => shown.map((f) => s.value(f)))] as unknown as uPlot.AlignedData);
    panel.plot?.setScale('x', { min: from / 1000, max: last.t / 1000 });
    const latest = panel.series.map((s) => `${s.label} ${format(s.value(last))}`).join(', ');
    if (panel.text) panel.text.textContent = `Latest: ${latest}`;
    panel.box?.setAttribute('aria-label', `${panel.title}. Latest: ${latest}`);
  }
  renderAlarms(shown);
  renderActivity();
  renderAccess();
}

function renderAccess(): void {
  const list = document.getElementById('access') as HTMLElement;
  list.innerHTML = [...accessLines]
    .reverse()
    .map((line) => `<li>${escapeHtml(line)}</li>`)
    .join('');
}

function renderAlarms(shown: Frame[]): void {
  const container = document.getElementById('alarms') as HTMLElement;
  const names = Object.keys(shown[shown.length - 1]?.alarms ?? {}).sort();
  const recent = shown.slice(-120);
  container.innerHTML = names
    .map((name) => {
      const state = recent[recent.length - 1]?.alarms[name] ?? 'INSUFFICIENT_DATA';
      const strip = recent.map((f) => `<span class="${f.alarms[name] ?? 'INSUFFICIENT_DATA'}"></span>`).join('');
      return `<div class="alarm"><span class="name" title="${escapeHtml(name)}">${escapeHtml(name)}</span><strong>${state}</strong><span class="strip" role="img" aria-label="${escapeHtml(name)} is ${state}">${strip}</span></div>`;
    })
    .join('');
}

function renderActivity(): void {
  const list = document.getElementById('activity') as HTMLElement;
  const items = events
    .filter((e) => e.type === 'scaling' || e.type === 'alarm' || e.type === 'api-change')
    .slice(-200)
    .reverse();
  list.innerHTML = items
    .map((e) =>
      e.type === 'scaling'
        ? `<li class="scaling${e.activity.statusCode === 'Failed' ? ' refused' : ''}">${time(e.activity.startTimeMs)} <strong>${escapeHtml(e.activity.statusCode)}</strong> ${escapeHtml(e.activity.resourceId)}: ${escapeHtml(e.activity.description)} (${e.activity.fromCapacity} -> ${e.activity.toCapacity})${e.activity.statusMessage ? ` <em>${escapeHtml(e.activity.statusMessage)}</em>` : ''}</li>`
        : e.type === 'api-change'
          ? `<li class="api-change">${time(e.virtualAtMs)} <strong>${escapeHtml(e.operation)}</strong> ${escapeHtml(e.resource)}: ${escapeHtml(e.detail)}</li>`
          : e.type === 'alarm'
            ? `<li class="alarm-transition">${time(e.virtualAtMs)} ${escapeHtml(e.alarmName)}: ${e.from} -> <strong>${e.to}</strong></li>`
            : '',
    )
    .join('');
}

function connect(): void {
  source = new EventSource('/_local/dashboard/stream');
  const status = document.getElementById('status') as HTMLElement;
  source.onopen = () => {
    status.textContent = 'live';
  };
  source.onerror = () => {
    status.textContent = 'reconnecting...';
  };
  source.onmessage = (message) => {
    const frame = JSON.parse(message.data) as Frame;
    if (seen.has(frame.id)) return;
    seen.add(frame.id);
    frames.push(frame);
    if (frames.length > 4_000) frames.splice(0, frames.length - 4_000);
    events.push(...frame.events);
    if (frame.access) {
      accessLines.push(...frame.access.lines);
      if (accessLines.length > 100) accessLines.splice(0, accessLines.length - 100);
    }
    if (panels.length === 0) definePanels(frame);
    render();
  };
}

function format(value: number | null): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  return value >= 100 ? value.toFixed(0) : value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

window.addEventListener('resize', () => {
  for (const panel of panels) panel.plot?.setSize({ width: Math.max(280, panel.box?.clientWidth ?? 420), height: 180 });
});

// For tests and curious users: the data behind the charts.
(window as unknown as { __dashboard: unknown }).__dashboard = { frames, events, markers, phaseBands, chartCount: () => panels.length };
connect();
