import { describe, expect, it } from 'vitest';
import { anchorRelativeSales } from './sales-anchor.ts';

const sales = JSON.stringify([
  {
    name: 'flash',
    startsAt: '+PT5M',
    endsAt: '+PT7M',
    minReadCapacity: 56,
    minWriteCapacity: 5,
    minProvisionedConcurrency: 1,
    leadMinutes: 5,
  },
]);

describe('anchoring relative sales', () => {
  it('anchors at the next whole second, so a raise planned at the very start is not truncated to before it', () => {
    const { context, virtualStartMs } = anchorRelativeSales({ sales }, Date.parse('2026-12-01T10:00:00.250Z'));
    expect(context.salesAnchor).toBe('2026-12-01T10:00:01.000Z');
    expect(virtualStartMs).toBe(Date.parse('2026-12-01T10:00:01Z'));
  });

  it('keeps an anchor the user gave, and leaves absolute sales alone', () => {
    expect(anchorRelativeSales({ sales, salesAnchor: '2027-01-08T08:00:00Z' }, 0).virtualStartMs).toBe(Date.parse('2027-01-08T08:00:00Z'));
    expect(anchorRelativeSales({ sales: '[]' }, 0)).toEqual({ context: { sales: '[]' }, virtualStartMs: undefined });
  });
});
