import type { SaleEvent } from './stack-config.ts';

/** Normal bounds of a target, restored when a sale ends. */
export interface CapacityBounds {
  readonly min: number;
  readonly max: number;
}

/** One scheduled min/max change: when it fires and the bounds it sets. */
export interface SaleAction {
  readonly id: string;
  readonly at: Date;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/**
 * Two scheduled actions per sale: raise the minimum `leadMinutes` before it starts (so target tracking and the
 * UpdateTable apply time are out of the way when traffic jumps), and restore the normal bounds when it ends.
 * The maximum rises too when the sale's minimum is above it, since AAS requires min <= max. Free of the CDK, so that
 * the planner builds the same actions without loading it (sale-schedule.ts gives them to the CDK's targets).
 */
export function saleActions(sales: readonly SaleEvent[], bounds: CapacityBounds, saleMinimum: (sale: SaleEvent) => number): SaleAction[] {
  return sales.flatMap((sale) => {
    const minimum = saleMinimum(sale);
    return [
      {
        id: `${sale.name}-raise`,
        at: new Date(Date.parse(sale.startsAt) - sale.leadMinutes * 60_000),
        minCapacity: minimum,
        maxCapacity: Math.max(bounds.max, minimum),
      },
      { id: `${sale.name}-restore`, at: new Date(sale.endsAt), minCapacity: bounds.min, maxCapacity: bounds.max },
    ];
  });
}
