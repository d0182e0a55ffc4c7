import { describe, expect, it } from 'vitest';
import { type AlarmDefinition, CloudWatchAlarm, type TreatMissingData } from './cloudwatch-alarm.ts';
import { MetricStore } from './metric-store.ts';

const metric = { namespace: 'AWS/Lambda', metricName: 'Throttles', dimensions: { FunctionName: 'f' } };
const minute = 60_000;

function alarmWith(treatMissingData: TreatMissingData, overrides: Partial<AlarmDefinition> = {}) {
  return new CloudWatchAlarm({
    alarmName: 'a',
    metric,
    statistic: 'Sum',
    periodSeconds: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    threshold: 1,
    comparison: 'GreaterThanOrEqualToThreshold',
    treatMissingData,
    ...overrides,
  });
}

/** Records one value per listed minute (undefined = no data that minute) and evaluates after the last. */
function run(alarm: CloudWatchAlarm, perMinute: (number | undefined)[]) {
  const store = new MetricStore();
  perMinute.forEach((value, i) => {
    if (value !== undefined) store.record(metric, value, i * minute + 1_000);
  });
  return alarm.evaluate(store, perMinute.length * minute);
}

describe('CloudWatch alarms (docs/aws-facts.md B 7)', () => {
  it('B 7.2: M out of N: 2 breaching of the last 3 alarm, 1 does not', () => {
    expect(run(alarmWith('notBreaching'), [5, 0, 5])?.to).toBe('ALARM');
    expect(run(alarmWith('notBreaching'), [0, 0, 5])?.to).toBe('OK');
  });

  it('B 7.3: missing (default): no data at all is INSUFFICIENT_DATA; otherwise the latest real datapoints count', () => {
    const alarm = alarmWith('missing');
    expect(run(alarm, [undefined, undefined, undefined])).toBeUndefined(); // starts INSUFFICIENT_DATA, stays
    expect(run(alarmWith('missing'), [5, undefined, 5])?.to).toBe('ALARM');
  });

  it('B 7.3: notBreaching counts gaps as good, breaching counts them as bad', () => {
    expect(run(alarmWith('notBreaching'), [undefined, undefined, 5])?.to).toBe('OK');
    expect(run(alarmWith('breaching'), [undefined, undefined, 5])?.to).toBe('ALARM');
  });

  it('B 7.3: ignore keeps the current state when there is no data', () => {
    const alarm = alarmWith('ignore');
    expect(run(alarm, [5, 5, 5])?.to).toBe('ALARM');
    expect(run(alarm, [undefined, undefined, undefined, undefined, undefined, undefined, undefined])).toBeUndefined();
    expect(alarm.state).toBe('ALARM');
  });

  it('B 7.4: alarms on AWS/DynamoDB metrics ignore missing data whatever they say', () => {
    const dynamo = alarmWith('notBreaching', {
      metric: { namespace: 'AWS/DynamoDB', metricName: 'ReadThrottleEvents', dimensions: { TableName: 't' } },
    });
    const store = new MetricStore();
    store.record(dynamo.definition.metric, 3, 1_000);
    store.record(dynamo.definition.metric, 3, minute + 1_000);
    // Two real datapoints of three: the state stays (INSUFFICIENT_DATA), though two would breach (B 7.4a).
    expect(dynamo.evaluate(store, 2 * minute)).toBeUndefined();
    store.record(dynamo.definition.metric, 3, 2 * minute + 1_000);
    expect(dynamo.evaluate(store, 3 * minute)?.to).toBe('ALARM');
    expect(dynamo.evaluate(store, 20 * minute)).toBeUndefined();
  });

  it('B 7.4a: an AWS/DynamoDB alarm stays in its state on a partial lookback; with N real datapoints in range it evaluates', () => {
    // 3 of 3 below 10 (an AlarmLow in miniature); ALARM after three low minutes.
    const low = alarmWith('missing', {
      metric: { namespace: 'AWS/DynamoDB', metricName: 'ConsumedReadCapacityUnits', dimensions: { TableName: 't' } },
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      threshold: 10,
      comparison: 'LessThanThreshold',
    });
    const store = new MetricStore();
    const at = (m: number, value: number) => store.record(low.definition.metric, value, m * minute + 1_000);
    at(0, 1);
    at(1, 1);
    at(2, 1);
    expect(low.evaluate(store, 3 * minute)?.to).toBe('ALARM');
    // Then two high minutes with gaps: the six-period range holds 3 real datapoints, the latest N = 3 are
    // [low, high, high]: 1 of 3 breaching, so OK.
    at(4, 50);
    at(6, 50);
    expect(low.evaluate(store, 7 * minute)?.to).toBe('OK');
    // A later evaluation whose range holds only two real datapoints keeps OK, even though both are low.
    at(9, 1);
    at(11, 1);
    expect(low.evaluate(store, 12 * minute)).toBeUndefined();
    expect(low.state).toBe('OK');
    // With a third low datapoint in range, all three of the latest N breach: ALARM.
    at(12, 1);
    expect(low.evaluate(store, 13 * minute)?.to).toBe('ALARM');
  });

  it('words the state reason as CloudWatch does', () => {
    const transition = run(alarmWith('notBreaching', { evaluationPeriods: 2, datapointsToAlarm: 2 }), [4, 5]);
    expect(transition?.reason).toBe(
      'Threshold Crossed: 2 out of the last 2 datapoints [5.0 (01/01/70 00:01:00), 4.0 (01/01/70 00:00:00)] were greater than or equal to the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });
});

describe('alarm delay (docs/aws-facts.md B 7.10)', () => {
  it('acts on the data of N seconds earlier: a breach that closes at minute 2 fires a 2-minute-delayed alarm at minute 4', () => {
    const store = new MetricStore();
    const prompt = alarmWith('missing', { evaluationPeriods: 1, datapointsToAlarm: 1 });
    const delayed = alarmWith('missing', { evaluationPeriods: 1, datapointsToAlarm: 1 });
    store.record(metric, 0, 0 * minute + 1_000);
    store.record(metric, 5, 1 * minute + 1_000);
    store.record(metric, 5, 2 * minute + 1_000);
    store.record(metric, 5, 3 * minute + 1_000);
    expect(prompt.evaluate(store, 2 * minute)?.to).toBe('ALARM');
    expect(delayed.evaluate(store, 3 * minute, 2 * minute)?.to).toBe('OK'); // it sees minute 0 only
    expect(delayed.evaluate(store, 4 * minute, 2 * minute)?.to).toBe('ALARM');
  });
});

describe('SetAlarmState (docs/aws-facts.md B 7.11)', () => {
  it('holds the state set by hand until the next period closes, then the data decides again', () => {
    const store = new MetricStore();
    const errors = { namespace: 'Custom', metricName: 'Errors', dimensions: {} };
    const alarm = new CloudWatchAlarm({
      alarmName: 'errors',
      metric: errors,
      statistic: 'Sum',
      periodSeconds: 60,
      evaluationPeriods: 1,
      threshold: 5,
      comparison: 'GreaterThanThreshold',
    });
    store.record(errors, 1, 30_000);
    expect(alarm.evaluate(store, 60_000)?.to).toBe('OK');
    expect(alarm.setState('ALARM', 'testing', 70_000)).toMatchObject({ from: 'OK', to: 'ALARM', reason: 'testing' });
    expect([alarm.state, alarm.stateReason, alarm.stateUpdatedMs]).toEqual(['ALARM', 'testing', 70_000]);
    store.record(errors, 1, 90_000);
    expect(alarm.evaluate(store, 100_000)).toBeUndefined();
    expect(alarm.state).toBe('ALARM');
    expect(alarm.evaluate(store, 120_000)).toMatchObject({ from: 'ALARM', to: 'OK' });
  });
});
