import { hasRelativeSales } from '../../infra/stack-config.ts';

/**
 * A run whose `sales` use relative times ("+PT2M") gets an anchor: the context's `salesAnchor` (set to now when
 * absent) is also the virtual time its local cloud starts at, so the schedules fire where they were planned, counted
 * from the start of the run.
 */
export function anchorRelativeSales(
  context: Readonly<Record<string, string>>,
  nowMs: number,
): { context: Record<string, string>; virtualStartMs: number | undefined } {
  if (!hasRelativeSales(context.sales)) return { context: { ...context }, virtualStartMs: undefined };
  // Whole seconds: a scheduled action's at() has no milliseconds, so a raise planned at the very start would
  // otherwise land a fraction of a second before it, and never fire.
  const anchor = context.salesAnchor ?? new Date(Math.ceil(nowMs / 1000) * 1000).toISOString();
  return { context: { ...context, salesAnchor: anchor }, virtualStartMs: Date.parse(anchor) };
}
