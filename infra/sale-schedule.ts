import { Schedule } from 'aws-cdk-lib/aws-applicationautoscaling';
import type { SaleEvent } from './stack-config.ts';

/** Something that accepts scheduled min/max changes (a DynamoDB scalable attribute, a Lambda alias target). */
export interface ScheduleTarget {
  scaleOnSchedule(id: string, action: { schedule: Schedule; minCapacity?: number; maxCapacity?: number }): void;
}

/** Normal bounds of a target, restored when a sale ends. */
export interface CapacityBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * Adds two scheduled actions per sale: raise the minimum `leadMinutes` before it starts (so target tracking and the
 * UpdateTable apply time are out of the way when traffic jumps), and restore the normal bounds when it ends.
 * The maximum rises too when the sale's minimum is above it, since AAS requires min <= max.
 */
export function scheduleSales(
  target: ScheduleTarget,
  sales: readonly SaleEvent[],
  bounds: CapacityBounds,
  saleMinimum: (sale: SaleEvent) => number,
): void {
  for (const sale of sales) {
    const minimum = saleMinimum(sale);
    const raiseAt = new Date(Date.parse(sale.startsAt) - sale.leadMinutes * 60_000);
    target.scaleOnSchedule(`${sale.name}-raise`, {
      schedule: Schedule.at(raiseAt),
      minCapacity: minimum,
      maxCapacity: Math.max(bounds.max, minimum),
    });
    target.scaleOnSchedule(`${sale.name}-restore`, {
      schedule: Schedule.at(new Date(sale.endsAt)),
      minCapacity: bounds.min,
      maxCapacity: bounds.max,
    });
  }
}
