/** The fidelity switches (`--burst-start`, `--alarm-delay-seconds`, `--capacity-apply-seconds`) as LocalCloud options (AWS durations in ms, before the time scale). */
export interface FidelityOptions {
  readonly burstStartsFull: boolean;
  readonly alarmDelayMs: number;
  readonly updateApplyDelayMs: number;
}

/** One line that states the assumptions a run made. */
export function describeFidelity(options: FidelityOptions): string {
  return `Assumptions: burst bucket starts ${options.burstStartsFull ? 'full (300 s of unused capacity)' : 'empty'}; alarms act ${options.alarmDelayMs / 1000} s after their data; UpdateTable applies after ${options.updateApplyDelayMs / 1000} s`;
}
