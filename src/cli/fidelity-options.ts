import { UsageError } from '../common/usage-error.ts';
import type { FidelityOptions } from '../lab/fidelity.ts';
import { integerOption } from './option-values.ts';

/**
 * The assumptions that decide whether a sale survives, as switches shared by `local` and `lab` (and the planner):
 * AWS documents each as a range or as best effort, and our defaults lean optimistic (docs/aws-fidelity.md).
 */
export const fidelityOptionsDeclaration = {
  'burst-start': { type: 'string' },
  'alarm-delay-seconds': { type: 'string' },
  'capacity-apply-seconds': { type: 'string' },
} as const;

export const fidelityOptionsUsage = `  --burst-start full|empty   tables start with a full burst bucket (300 s of unused capacity, an idle deployed
                      table) or an empty one; AWS calls burst best effort (default full)
  --alarm-delay-seconds N    CloudWatch alarms act N seconds after their data (AWS: "up to a few minutes"; default 0)
  --capacity-apply-seconds N an UpdateTable takes N seconds to apply (AWS: "several minutes"; default 60)`;

/** Parses the switches' raw values; a bad one is a UsageError naming it. */
export function fidelityOptions(values: {
  'burst-start'?: string | undefined;
  'alarm-delay-seconds'?: string | undefined;
  'capacity-apply-seconds'?: string | undefined;
}): FidelityOptions {
  const burst = values['burst-start'] ?? 'full';
  if (burst !== 'full' && burst !== 'empty') throw new UsageError(`--burst-start takes full or empty, got "${burst}"`);
  return {
    burstStartsFull: burst === 'full',
    alarmDelayMs: integerOption('alarm-delay-seconds', values['alarm-delay-seconds'], 0, 0, 900) * 1000,
    updateApplyDelayMs: integerOption('capacity-apply-seconds', values['capacity-apply-seconds'], 60, 0, 3_600) * 1000,
  };
}
