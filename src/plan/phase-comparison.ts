import type { PhaseSummary } from '../load/load-results.ts';
import type { Prediction } from './prediction.ts';

/** The goal of a verification: outcome counts within this share of the phase's requests. */
export const verifyTolerance = 0.05;

/** One phase, predicted beside emulated, and whether the counts agree. */
export interface PhaseComparison {
  readonly name: string;
  readonly requests: number;
  readonly predicted: { ok: number; gateway: number; lambda: number; dynamodb: number; p99Ms: number };
  readonly emulated: { ok: number; gateway: number; lambda: number; dynamodb: number; p99Ms: number };
  /** The largest difference of ok and each throttle count, as a share of the phase's requests. */
  readonly worstGap: number;
}

/** Compares a prediction with the client's side of a run, phase by phase. */
export function comparePhases(prediction: Prediction, emulated: readonly PhaseSummary[]): PhaseComparison[] {
  return prediction.phases.map((p, i) => {
    const e = emulated[i];
    const emulatedCounts = {
      ok: e?.outcomes['2xx'] ?? 0,
      gateway: e?.throttled.gateway ?? 0,
      lambda: e?.throttled.lambda ?? 0,
      dynamodb: e?.throttled.dynamodb ?? 0,
      p99Ms: e?.latencyMs.p99 ?? 0,
    };
    const predicted = {
      ok: p.ok,
      gateway: p.throttled.gateway,
      lambda: p.throttled.lambda,
      dynamodb: p.throttled.dynamodb,
      p99Ms: p.p99Ms,
    };
    const requests = Math.max(1, e?.sent ?? p.requests);
    const keys = ['ok', 'gateway', 'lambda', 'dynamodb'] as const;
    const worstGap = Math.max(...keys.map((k) => Math.abs(predicted[k] - emulatedCounts[k]) / requests));
    return { name: p.name, requests, predicted, emulated: emulatedCounts, worstGap };
  });
}
