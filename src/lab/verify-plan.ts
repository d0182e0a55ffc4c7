import type { LoadProfile } from '../load/load-profile.ts';
import type { Evaluation, PlanSettings } from '../plan/evaluation.ts';
import { predict, startingModel } from '../plan/evaluation.ts';
import { comparePhases, type PhaseComparison, verifyTolerance } from '../plan/phase-comparison.ts';
import { loadStackModel } from '../stack/stack-source.ts';
import type { FidelityOptions } from './fidelity.ts';
import { runLabOnLocalCloud } from './lab-run.ts';
import { anchorRelativeSales } from './sales-anchor.ts';

/**
 * `--verify`: synthesizes the chosen configuration with its exact flags (so the stack's validation judges them),
 * runs the profile on the local cloud as `npm run lab` does, and prints the prediction beside the emulation for each
 * phase. The prediction it compares is made for the local cloud: same start, same burst assumption, and the SDK
 * retry quota as the run had it (one per execution environment, as in AWS and in the plan, unless the local cloud
 * could not reach a function's retry strategy: docs/decisions/0005).
 */
export async function verifyOnLocalCloud(input: {
  settings: PlanSettings;
  evaluation: Evaluation;
  fidelity: FidelityOptions;
  seed: number;
  print: (line: string) => void;
}): Promise<PhaseComparison[]> {
  const { settings, evaluation, fidelity, print } = input;
  const context = { ...settings.userContext, ...evaluation.candidate.context };
  const anchored = anchorRelativeSales(context, Date.now());
  print(`\nVerifying ${evaluation.candidate.label} on the local cloud (burst bucket ${fidelity.burstStartsFull ? 'full' : 'empty'})...`);
  // The same start state as the plan's runs (--warm-start), applied to the template the local cloud runs.
  const model = startingModel(settings, await loadStackModel({ context: anchored.context }));
  const run = await runLabOnLocalCloud({
    model,
    profile: settings.profile as LoadProfile,
    checks: settings.checks,
    timeScale: 1,
    seed: input.seed,
    fidelity,
    virtualStartMs: anchored.virtualStartMs,
    quiet: true,
    print,
  });
  const prediction = predict(
    { ...settings, anchorMs: run.startedAtMs, retryQuotaScope: run.retryQuotaScope },
    model,
    fidelity.burstStartsFull,
  );
  const comparisons = comparePhases(prediction, run.report.phases);
  print('\nPredicted beside emulated (ok, 429, 500, 503 as counts; p99 in ms):');
  for (const c of comparisons) {
    const f = (x: { ok: number; gateway: number; lambda: number; dynamodb: number; p99Ms: number }) =>
      `ok ${Math.round(x.ok)}, 429 ${Math.round(x.gateway)}, 500 ${Math.round(x.lambda)}, 503 ${Math.round(x.dynamodb)}, p99 ${x.p99Ms.toFixed(0)}`;
    print(`${c.name} (${c.requests} requests)`);
    print(`  predicted: ${f(c.predicted)}`);
    print(`  emulated:  ${f(c.emulated)}`);
    print(`  largest gap ${(100 * c.worstGap).toFixed(1)}% of the phase's requests (goal: within ${100 * verifyTolerance}%)`);
    const predictedPhase = prediction.phases.find((p) => p.name === c.name);
    const emulatedPhase = run.report.cloud?.phases.find((p) => p.name === c.name);
    const listed = (entries: [string, string | number][]) => entries.map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
    print(
      `  peak concurrency: predicted ${listed(
        Object.entries(predictedPhase?.peakConcurrency ?? {})
          .filter(([, v]) => v >= 0.5)
          .map(([k, v]) => [k, Math.round(v)]),
      )}; emulated ${listed(Object.entries(emulatedPhase?.peakConcurrency ?? {}))}`,
    );
    print(
      `  read capacity at the end: predicted ${listed(Object.entries(predictedPhase?.capacity ?? {}).map(([k, v]) => [k.includes('/') ? `GSI ${k.split('/').pop()}` : 'table', v.read[1]]))}; emulated ${listed(Object.entries(emulatedPhase?.capacity ?? {}).map(([k, v]) => [k, String(v).split(' -> ').pop() ?? String(v)]))}`,
    );
  }
  // Activities as they start (the emulated run stops with its profile, before a change that started late applies).
  const predictedScaling = prediction.activities.filter((a) => a.statusCode !== 'Successful');
  const emulatedScaling = run.scaling.filter((a) => a.statusCode !== 'Successful');
  const minute = (ms: number) => Math.floor((ms - run.startedAtMs) / 60_000);
  print('Scaling activities started (minute of the run): predicted beside emulated');
  const describe = (a: { resourceId: string; scalableDimension: string; fromCapacity: number; toCapacity: number; statusCode: string }) =>
    `${a.resourceId} ${a.scalableDimension.split(':').pop()} ${a.fromCapacity} -> ${a.toCapacity} ${a.statusCode}`;
  print(`  predicted: ${predictedScaling.map((a) => `minute ${Math.floor(a.second / 60)} ${describe(a)}`).join('; ') || 'none'}`);
  print(`  emulated:  ${emulatedScaling.map((a) => `minute ${minute(a.virtualAtMs)} ${describe(a)}`).join('; ') || 'none'}`);
  const worst = Math.max(0, ...comparisons.map((c) => c.worstGap));
  print(
    worst <= verifyTolerance
      ? `Prediction and emulation agree: every phase within ${(100 * worst).toFixed(1)}% of its requests.`
      : `Prediction and emulation differ by up to ${(100 * worst).toFixed(1)}% of a phase's requests: see docs/planner.md, "Where the plan can be wrong".`,
  );
  return comparisons;
}
