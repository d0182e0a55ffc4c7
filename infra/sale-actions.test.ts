import { Schedule } from 'aws-cdk-lib/aws-applicationautoscaling';
import { describe, expect, it } from 'vitest';
import { atExpression, parseSchedule } from '../src/scaling/schedule-expression.ts';
import { saleActions } from './sale-actions.ts';

describe('a sale’s scheduled actions', () => {
  const sale = {
    name: 'winter',
    startsAt: '2027-01-08T08:00:00Z',
    endsAt: '2027-01-08T10:00:00Z',
    minReadCapacity: 400,
    minWriteCapacity: 50,
    minProvisionedConcurrency: 4,
    leadMinutes: 15,
  };

  it('raise the minimum ahead of the sale (the maximum with it when below) and restore the bounds at its end', () => {
    expect(saleActions([sale], { min: 5, max: 100 }, (s) => s.minReadCapacity)).toEqual([
      { id: 'winter-raise', at: new Date('2027-01-08T07:45:00Z'), minCapacity: 400, maxCapacity: 400 },
      { id: 'winter-restore', at: new Date('2027-01-08T10:00:00Z'), minCapacity: 5, maxCapacity: 100 },
    ]);
  });

  it('are written as the CDK writes them, so the planner’s stack matches the synthesized one without loading it', () => {
    for (const moment of [new Date('2027-01-08T07:45:00Z'), new Date('2026-12-07T17:05:09.123Z'), new Date(Date.UTC(2026, 0, 1))]) {
      expect(atExpression(moment)).toBe(Schedule.at(moment).expressionString);
      expect(parseSchedule(atExpression(moment)).nextAfter(0)).toBe(Math.floor(moment.getTime() / 1000) * 1000);
    }
  });
});
