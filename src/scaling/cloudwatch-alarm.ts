import type { Datapoint, MetricId, MetricStore, Statistic } from './metric-store.ts';

/** CloudWatch comparison operators (the ones alarms on these metrics use). */
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';
/** How an alarm treats periods without data (B 7.3). */
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';
/** Alarm states (B 7.1). */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** An alarm's definition, as in AWS::CloudWatch::Alarm. */
export interface AlarmDefinition {
  readonly alarmName: string;
  readonly metric: MetricId;
  readonly statistic: Statistic;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  /** M of "M out of N"; defaults to evaluationPeriods. */
  readonly datapointsToAlarm?: number | undefined;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  /** @default 'missing' */
  readonly treatMissingData?: TreatMissingData | undefined;
  readonly description?: string | undefined;
}

/** A change of state, with CloudWatch's reason text. */
export interface AlarmTransition {
  readonly alarmName: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly reason: string;
  readonly atMs: number;
}

const words: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

/**
 * A CloudWatch alarm: evaluated once per period on the latest N periods, "M out of N" breaching datapoints to ALARM,
 * TreatMissingData (B 7.2-7.5). Alarms on AWS/DynamoDB metrics always ignore missing data (B 7.4), which is why a
 * table without traffic never scales in (B 4.16). The threshold can be rewritten (target tracking does, B 4.8).
 */
export class CloudWatchAlarm {
  private current: AlarmState = 'INSUFFICIENT_DATA';
  private currentReason = 'Unchecked: Initial alarm creation';
  private currentSinceMs: number | undefined;
  /** When SetAlarmState last set the state: it holds until a period that closes after it is evaluated. */
  private setByHandAtMs: number | undefined;
  private thresholdValue: number;
  /** End of the evaluation range last evaluated: until a new period closes (or the threshold moves) nothing can change. */
  private evaluatedEndMs: number | undefined;

  constructor(readonly definition: AlarmDefinition) {
    this.thresholdValue = definition.threshold;
  }

  get state(): AlarmState {
    return this.current;
  }

  /** Why the alarm is in its state, in CloudWatch's words (StateReason). */
  get stateReason(): string {
    return this.currentReason;
  }

  /** When the state last changed (virtual ms), undefined before the first change. */
  get stateUpdatedMs(): number | undefined {
    return this.currentSinceMs;
  }

  /**
   * Sets the state by hand, as SetAlarmState does: it holds until the next period closes, whose evaluation sets the
   * state the data gives (B 7.11).
   */
  setState(state: AlarmState, reason: string, nowMs: number): AlarmTransition | undefined {
    this.setByHandAtMs = nowMs;
    this.evaluatedEndMs = undefined;
    if (state === this.current) this.currentReason = reason;
    return this.enter(state, reason, nowMs);
  }

  get threshold(): number {
    return this.thresholdValue;
  }

  /** Rewrites the threshold (for example when provisioned capacity changed). */
  setThreshold(threshold: number): void {
    if (threshold !== this.thresholdValue) this.evaluatedEndMs = undefined;
    this.thresholdValue = threshold;
  }

  /**
   * Evaluates at `nowMs` (virtual time) on the periods that had ended `dataDelayMs` earlier: CloudWatch can act "up
   * to a few minutes" after the data (B 7.10); 0 acts on the minute that has just closed. Returns the transition if
   * the state changed.
   */
  evaluate(store: MetricStore, nowMs: number, dataDelayMs = 0): AlarmTransition | undefined {
    const d = this.definition;
    const periodMs = d.periodSeconds * 1000;
    const end = Math.floor((nowMs - dataDelayMs) / periodMs) * periodMs;
    // Datapoints are recorded at the time they happen, never into a closed period, so the same range gives the same
    // answer: skip it (the planner ticks every virtual second of a day).
    if (end === this.evaluatedEndMs) return undefined;
    if (this.setByHandAtMs !== undefined) {
      if (end <= Math.floor((this.setByHandAtMs - dataDelayMs) / periodMs) * periodMs) return undefined;
      this.setByHandAtMs = undefined;
    }
    this.evaluatedEndMs = end;
    const n = d.evaluationPeriods;
    const m = d.datapointsToAlarm ?? n;
    const treat = d.metric.namespace === 'AWS/DynamoDB' ? 'ignore' : (d.treatMissingData ?? 'missing');
    // CloudWatch looks back over a wider evaluation range and uses the latest N real datapoints when some are missing.
    const lookback = treat === 'missing' || treat === 'ignore' ? 2 * n : n;
    const found = store.query(d.metric, d.statistic, d.periodSeconds, end - lookback * periodMs, end);
    const byTime = new Map(found.map((p) => [p.timestampMs, p]));
    const window: (Datapoint | undefined)[] = Array.from({ length: n }, (_, i) => byTime.get(end - (n - i) * periodMs));
    const present = treat === 'missing' || treat === 'ignore' ? found.slice(-n) : window.filter((p): p is Datapoint => p !== undefined);
    const missing = n - present.length;
    let next: AlarmState;
    let breaching = present.filter((p) => this.breaches(p.value)).length;
    // ignore, and every AWS/DynamoDB alarm: with fewer than N real datapoints in the evaluation range the alarm
    // stays in its current state (B 7.4: "remain in their current state"), a partial lookback included.
    if (treat === 'ignore' && present.length < n) return undefined;
    if (present.length === 0 && treat === 'missing') {
      next = 'INSUFFICIENT_DATA';
    } else {
      if (treat === 'breaching') breaching += missing;
      next = breaching >= m ? 'ALARM' : 'OK';
    }
    if (next === this.current) return undefined;
    return this.enter(next, this.reason(next, present, breaching, m, n), nowMs);
  }

  private enter(next: AlarmState, reason: string, nowMs: number): AlarmTransition | undefined {
    if (next === this.current) return undefined;
    const transition: AlarmTransition = { alarmName: this.definition.alarmName, from: this.current, to: next, reason, atMs: nowMs };
    this.current = next;
    this.currentReason = reason;
    this.currentSinceMs = nowMs;
    return transition;
  }

  private breaches(value: number): boolean {
    const t = this.thresholdValue;
    switch (this.definition.comparison) {
      case 'GreaterThanOrEqualToThreshold':
        return value >= t;
      case 'GreaterThanThreshold':
        return value > t;
      case 'LessThanThreshold':
        return value < t;
      case 'LessThanOrEqualToThreshold':
        return value <= t;
    }
  }

  /** The state reason as CloudWatch words it. */
  private reason(next: AlarmState, points: readonly Datapoint[], breaching: number, m: number, n: number): string {
    if (next === 'INSUFFICIENT_DATA') return `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`;
    const listed = [...points]
      .reverse()
      .map((p) => `${format(p.value)} (${stamp(p.timestampMs)})`)
      .join(', ');
    const comparison = words[this.definition.comparison];
    if (next === 'ALARM') {
      return `Threshold Crossed: ${breaching} out of the last ${n} datapoints [${listed}] ${breaching === 1 ? 'was' : 'were'} ${comparison} the threshold (${format(this.thresholdValue)}) (minimum ${m} datapoint${m === 1 ? '' : 's'} for OK -> ALARM transition).`;
    }
    const ok = points.length - breaching;
    return `Threshold Crossed: ${ok} out of the last ${n} datapoints [${listed}] ${ok === 1 ? 'was' : 'were'} not ${comparison} the threshold (${format(this.thresholdValue)}) (minimum ${Math.max(1, n - m + 1)} datapoint${n - m + 1 === 1 ? '' : 's'} for ALARM -> OK transition).`;
  }
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(Math.round(value * 1000) / 1000);
}

/** CloudWatch's reason timestamps: dd/mm/yy hh:mm:ss UTC. */
function stamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}
