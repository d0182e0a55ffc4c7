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

/** The kinds of answer a search compares, as the user would name them. */
const answerKinds = [
  { name: 'on-demand', matches: (e: Evaluation) => e.candidate.family === 'on-demand' },
  { name: 'a permanent floor', matches: (e: Evaluation) => e.candidate.family === 'floor' },
  { name: 'a raise with no lead', matches: (e: Evaluation) => e.candidate.family === 'raise' && e.candidate.leadMinutes === 0 },
  {
    name: 'a raise ahead of the sale',
    matches: (e: Evaluation) => e.candidate.family === 'raise' && (e.candidate.leadMinutes ?? 0) > 0,
  },
] as const;

const usd = (value: number) => (value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`);

/**
 * Why the winner beat each other kind of answer (on-demand, a permanent floor, a raise with no lead, a raise ahead of
 * the sale): the cheapest of that kind that meets the SLOs and what it costs more per month, or, when none does, the
 * closest and its errors.
 */
export function familyComparison(ranked: readonly Evaluation[], winner: Evaluation): string[] {
  const lines: string[] = [];
  for (const kind of answerKinds) {
    const ofKind = ranked.filter(kind.matches);
    if (ofKind.length === 0) continue;
    if (kind.matches(winner)) {
      lines.push(`${kind.name} wins: ${winner.candidate.label}, ${usd(winner.cost.perMonthUsd)} per month.`);
      continue;
    }
    const best = ofKind.find((e) => e.meetsSlo);
    if (best) {
      lines.push(
        `${kind.name} meets the SLOs too, at best ${best.candidate.label}: ${usd(best.cost.perMonthUsd)} per month, ${usd(best.cost.perMonthUsd - winner.cost.perMonthUsd)} more (${usd(best.cost.perEventUsd)} per event).`,
      );
      continue;
    }
    const closest = ofKind[0] as Evaluation;
    const why =
      kind.name === 'a raise with no lead'
        ? ' Its UpdateTables start as the traffic rises, one at a time per table, and each takes --capacity-apply-seconds to apply.'
        : '';
    lines.push(
      `${kind.name} fails the SLOs: the closest, ${closest.candidate.label}, has ${(100 * closest.errorShare).toFixed(2)}% errors and p99 ${closest.p99Ms.toFixed(0)} ms.${why}`,
    );
  }
  return lines;
}
