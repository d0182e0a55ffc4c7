import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInProfiles } from '../load/load-profile.ts';
import { type Evaluation, evaluate } from './evaluation.ts';
import { ParallelSimulation } from './parallel-simulation.ts';
import { handDemand, handStack } from './plan-fixtures.test-support.ts';
import { handPlanSettings } from './plan-settings.test-support.ts';
import { type SimulationOptions, simulateSale } from './sale-simulation.ts';

const options: SimulationOptions = {
  model: handStack({}),
  profile: builtInProfiles.lab as SimulationOptions['profile'],
  demand: handDemand,
  burstStartsFull: true,
  startMs: Date.parse('2026-12-01T00:00:00Z'),
};

/** Resolves once `check` holds, polling; the worker loads its modules on its own thread. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await sleep(10);
}

describe('simulations on a second thread', () => {
  const parallel = new ParallelSimulation();
  afterAll(() => parallel.close());

  it('the worker runs a job and answers exactly what this thread computes', { timeout: 60_000 }, async () => {
    await until(() => parallel.started);
    const pending = parallel.start(options, () => simulateSale(options));
    await until(() => pending.takenByWorker);
    const prediction = pending.result();
    expect(pending.ranOn).toBe('worker');
    expect(prediction).toEqual(simulateSale(options));
  });

  it('a plan evaluates both burst assumptions at once and predicts what one thread predicts', { timeout: 60_000 }, async () => {
    await until(() => parallel.started);
    const settings = handPlanSettings(options.profile, 10);
    const alone = evaluate(settings, { label: 'as given', context: {} }, true) as Evaluation;
    const together = evaluate({ ...settings, parallel }, { label: 'as given', context: {} }, true) as Evaluation;
    expect(together.predictions).toEqual(alone.predictions);
    expect(together.cost).toEqual(alone.cost);
  });

  it('a job the worker has not taken runs on this thread: a worker that failed to load holds nothing up', async () => {
    const broken = new ParallelSimulation(new URL('./failing-worker.test-support.ts', import.meta.url));
    try {
      const pending = broken.start(options, () => simulateSale(options));
      // Time for the worker to fail (the answer is the same whether it has yet or not).
      await sleep(300);
      expect(pending.result()).toEqual(simulateSale(options));
      expect(pending.ranOn).toBe('main');
      expect(broken.started).toBe(false);
    } finally {
      await broken.close();
    }
  });
});
