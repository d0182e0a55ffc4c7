import { Schedule } from 'aws-cdk-lib/aws-applicationautoscaling';
import { type CapacityBounds, saleActions } from './sale-actions.ts';
import type { SaleEvent } from './stack-config.ts';

/** Something that accepts scheduled min/max changes (a DynamoDB scalable attribute, a Lambda alias target). */
export interface ScheduleTarget {
  scaleOnSchedule(id: string, action: { schedule: Schedule; minCapacity?: number; maxCapacity?: number }): void;
}

/** Adds each sale's raise and restore (sale-actions.ts) to `target` as scheduled actions at their moments. */
export function scheduleSales(
  target: ScheduleTarget,
  sales: readonly SaleEvent[],
  bounds: CapacityBounds,
  saleMinimum: (sale: SaleEvent) => number,
): void {
  for (const { id, at, minCapacity, maxCapacity } of saleActions(sales, bounds, saleMinimum))
    target.scaleOnSchedule(id, { schedule: Schedule.at(at), minCapacity, maxCapacity });
}
