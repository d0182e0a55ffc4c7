import { plannedSaleName } from './candidate-space.ts';
import type { Evaluation } from './evaluation.ts';

const round = (value: number) => Math.round(value);

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
