import { describe, expect, it } from 'vitest';
import { type Evaluation, evaluate, rank } from './evaluation.ts';
import { handStack } from './plan-fixtures.test-support.ts';
import { handPlanSettings } from './plan-settings.test-support.ts';

const tenMinutes = { name: 'steady', phases: [{ name: 'steady', durationSeconds: 600, ratePerSecond: 15 }], mix: { get: 1 } };
const settings = handPlanSettings(tenMinutes, 15);

describe('a search over a space whose optimum is known', () => {
  it('15 reads a second: 10 RCU fails without burst, 20 is the cheapest that holds, on-demand costs 2.6 times as much', () => {
    const candidates = [
      ...[10, 20, 40, 80].map((units) => ({ label: `${units} RCU`, model: handStack({ readUnits: units, writeUnits: 1 }) })),
      { label: 'on-demand', model: handStack({ billingMode: 'PAY_PER_REQUEST' }) },
    ];
    const evaluations = candidates.map(
      (c) => evaluate({ ...settings, fixedModel: c.model }, { label: c.label, context: {} }) as Evaluation,
    );
    const ranked = rank(evaluations);
    expect(ranked.map((e) => [e.candidate.label, e.meetsSlo])).toEqual([
      ['20 RCU', true],
      ['40 RCU', true],
      ['on-demand', true],
      ['80 RCU', true],
      ['10 RCU', false],
    ]);
    // 10 RCU: a full bucket (3,000 units) covers 5 a second over the 600 s; an empty one does not.
    const ten = evaluations.find((e) => e.candidate.label === '10 RCU');
    expect(ten?.predictions.full).toBeUndefined(); // empty failed first: full is not needed to reject it
    // The month at 15 reads a second: on-demand bills the units of 719 h 10 min, (719 x 3,600 + 600) x 15 x $0.125/M =
    // $4.854; provisioned bills whole hours, 20 RCU x 720 h x $0.00013 = $1.872.
    const units = (e: Evaluation | undefined, item: RegExp) => e?.cost.monthLines.find((l) => item.test(l.item))?.usd;
    expect(units(ranked[0], /provisioned read/)).toBeCloseTo(1.872, 3);
    expect(units(ranked[2], /on-demand read/)).toBeCloseTo(((719 * 3_600 + 600) * 15 * 0.125) / 1e6, 6);
  });
});
