import type { z } from 'zod';
import type { CloudWatchAlarm, ComparisonOperator } from '../../scaling/cloudwatch-alarm.ts';
import type { Datapoint, MetricId, Statistic } from '../../scaling/metric-store.ts';
import type { ControlPlane } from '../control-plane/control-plane.ts';
import type { LocalEvent } from '../control-plane/event-log.ts';
import { localAccount } from '../template/local-account.ts';
import {
  deleteAlarmsInput,
  describeAlarmHistoryInput,
  describeAlarmsInput,
  getMetricDataInput,
  getMetricStatisticsInput,
  listMetricsInput,
  putMetricAlarmInput,
  setAlarmStateInput,
} from './cloudwatch-schemas.ts';

const { accountId: account, region } = localAccount;
const maxDatapoints = 1440;

/** A CloudWatch error: AWS's query error code (InvalidParameterValue, ResourceNotFound ...) and HTTP status. */
export class CloudWatchApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** An operation: validated input in, output out (timestamps as Date, maps as Map; the protocol encodes them). */
export type CloudWatchOperation = (input: unknown) => Record<string, unknown>;

/**
 * CloudWatch's operations on the running local cloud: the alarms it evaluates (the template's, those put here, and
 * target tracking's), their history from the event log, and the metric store. Times are the control plane's virtual
 * time. Written once for the query and JSON 1.0 protocols (cloudwatch-api.ts).
 */
export function cloudWatchOperations(controlPlane: ControlPlane): Record<string, CloudWatchOperation> {
  const configuredAt = new WeakMap<CloudWatchAlarm, number>();
  const alarmNamed = (name: string) => controlPlane.allAlarms.find((a) => a.definition.alarmName === name);
  const describe = (alarm: CloudWatchAlarm) =>
    describeAlarm(alarm, configuredAt.get(alarm) ?? controlPlane.startedAtMs, controlPlane.startedAtMs);
  const isTracking = (name: string) => controlPlane.autoScaling.alarms.some((a) => a.definition.alarmName === name);
  return {
    DescribeAlarms: (raw) => {
      const input = parse(describeAlarmsInput, raw);
      if (input.AlarmNames && input.AlarmNamePrefix)
        throw new CloudWatchApiError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot both be specified.');
      const metricAlarms = input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm');
      const alarms = controlPlane.allAlarms
        .filter(() => metricAlarms)
        .filter((a) => input.AlarmNames === undefined || input.AlarmNames.includes(a.definition.alarmName))
        .filter((a) => input.AlarmNamePrefix === undefined || a.definition.alarmName.startsWith(input.AlarmNamePrefix))
        .filter((a) => input.StateValue === undefined || a.state === input.StateValue)
        // Alarms have no actions here (nothing to notify), so an action prefix matches none.
        .filter(() => input.ActionPrefix === undefined)
        .sort((a, b) => a.definition.alarmName.localeCompare(b.definition.alarmName));
      const page = paginate(alarms, input.NextToken, input.MaxRecords ?? 50);
      return { MetricAlarms: page.items.map(describe), CompositeAlarms: [], NextToken: page.nextToken };
    },

    DescribeAlarmHistory: (raw) => {
      const input = parse(describeAlarmHistoryInput, raw);
      const items = controlPlane.events
        .since(0)
        .flatMap((event) => historyItem(event))
        .filter((item) => input.AlarmName === undefined || item.AlarmName === input.AlarmName)
        .filter((item) => input.HistoryItemType === undefined || item.HistoryItemType === input.HistoryItemType)
        .filter(() => input.AlarmTypes === undefined || input.AlarmTypes.includes('MetricAlarm'))
        .filter((item) => input.StartDate === undefined || item.Timestamp.getTime() >= input.StartDate)
        .filter((item) => input.EndDate === undefined || item.Timestamp.getTime() <= input.EndDate);
      if ((input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending') items.reverse();
      const page = paginate(items, input.NextToken, input.MaxRecords ?? 100);
      return { AlarmHistoryItems: page.items, NextToken: page.nextToken };
    },

    GetMetricStatistics: (raw) => {
      const input = parse(getMetricStatisticsInput, raw);
      const statistics: Statistic[] = [...(input.Statistics ?? []), ...((input.ExtendedStatistics ?? []) as Statistic[])];
      if ((input.Statistics === undefined) === (input.ExtendedStatistics === undefined))
        throw new CloudWatchApiError('InvalidParameterCombination', 'Must specify either Statistics or ExtendedStatistics, but not both.');
      checkRange(input.StartTime, input.EndTime, input.Period);
      const id = metricOf(input);
      const byTime = new Map<number, Record<string, unknown>>();
      for (const statistic of statistics) {
        for (const point of controlPlane.metrics.query(id, statistic, input.Period, input.StartTime, input.EndTime)) {
          const datapoint = byTime.get(point.timestampMs) ?? { Timestamp: new Date(point.timestampMs), Unit: unitOf(id.metricName) };
          if (statistic.startsWith('p')) {
            const extended = (datapoint.ExtendedStatistics as Map<string, number> | undefined) ?? new Map<string, number>();
            extended.set(statistic, point.value);
            datapoint.ExtendedStatistics = extended;
          } else datapoint[statistic] = point.value;
          byTime.set(point.timestampMs, datapoint);
        }
      }
      return { Label: id.metricName, Datapoints: [...byTime.values()] };
    },

    GetMetricData: (raw) => {
      const input = parse(getMetricDataInput, raw);
      const descending = (input.ScanBy ?? 'TimestampDescending') === 'TimestampDescending';
      const results = input.MetricDataQueries.filter((query) => query.ReturnData !== false).map((query) => {
        const stat = query.MetricStat;
        if (!stat)
          throw new CloudWatchApiError(
            'InvalidParameterValue',
            `The local cloud evaluates MetricStat queries only; query ${query.Id} has an Expression (metric math is not emulated).`,
          );
        checkRange(input.StartTime, input.EndTime, stat.Period);
        const id = metricOf(stat.Metric);
        const points: Datapoint[] = controlPlane.metrics.query(id, stat.Stat as Statistic, stat.Period, input.StartTime, input.EndTime);
        if (descending) points.reverse();
        const kept = points.slice(0, input.MaxDatapoints ?? 100_800);
        return {
          Id: query.Id,
          Label: query.Label ?? id.metricName,
          Timestamps: kept.map((p) => new Date(p.timestampMs)),
          Values: kept.map((p) => p.value),
          StatusCode: 'Complete',
        };
      });
      return { MetricDataResults: results, Messages: [] };
    },

    ListMetrics: (raw) => {
      const input = parse(listMetricsInput, raw);
      const metrics = controlPlane.metrics
        .list()
        .filter((m) => input.Namespace === undefined || m.namespace === input.Namespace)
        .filter((m) => input.MetricName === undefined || m.metricName === input.MetricName)
        .filter((m) =>
          (input.Dimensions ?? []).every((d) => d.Name in m.dimensions && (d.Value === undefined || m.dimensions[d.Name] === d.Value)),
        );
      return {
        Metrics: metrics.map((m) => ({
          Namespace: m.namespace,
          MetricName: m.metricName,
          Dimensions: Object.entries(m.dimensions).map(([Name, Value]) => ({ Name, Value })),
        })),
      };
    },

    PutMetricAlarm: (raw) => {
      const input = parse(putMetricAlarmInput, raw);
      if (isTracking(input.AlarmName))
        throw new CloudWatchApiError(
          'InvalidParameterValue',
          `${input.AlarmName} belongs to a target tracking policy (DO NOT EDIT OR DELETE); change the policy with PutScalingPolicy instead.`,
        );
      if (input.Metrics !== undefined)
        throw new CloudWatchApiError(
          'InvalidParameterValue',
          'The local cloud evaluates alarms on one metric; Metrics (metric math) is not emulated.',
        );
      if (input.Namespace === undefined || input.MetricName === undefined)
        throw new CloudWatchApiError('MissingParameter', 'The parameters Namespace and MetricName are required for an alarm on a metric.');
      if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined))
        throw new CloudWatchApiError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.');
      if (input.Period === undefined || input.Threshold === undefined)
        throw new CloudWatchApiError('MissingParameter', 'The parameters Period and Threshold are required for an alarm on a metric.');
      if (![10, 30].includes(input.Period) && input.Period % 60 !== 0)
        throw new CloudWatchApiError('InvalidParameterValue', 'The parameter Period must be 10, 30 or a multiple of 60.');
      if (input.Period * input.EvaluationPeriods > 86_400)
        throw new CloudWatchApiError(
          'InvalidParameterCombination',
          'Period multiplied by EvaluationPeriods must not exceed 86400 seconds (one day).',
        );
      if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > input.EvaluationPeriods)
        throw new CloudWatchApiError('InvalidParameterCombination', 'DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
      const comparison = input.ComparisonOperator;
      if (!isThresholdComparison(comparison))
        throw new CloudWatchApiError(
          'InvalidParameterValue',
          `${comparison} needs an anomaly detection band, which the local cloud does not emulate.`,
        );
      const outcome = controlPlane.putAlarm({
        alarmName: input.AlarmName,
        metric: metricOf({ Namespace: input.Namespace, MetricName: input.MetricName, Dimensions: input.Dimensions }),
        statistic: (input.Statistic ?? input.ExtendedStatistic) as Statistic,
        periodSeconds: input.Period,
        evaluationPeriods: input.EvaluationPeriods,
        datapointsToAlarm: input.DatapointsToAlarm,
        threshold: input.Threshold,
        comparison,
        treatMissingData: input.TreatMissingData,
        description: input.AlarmDescription,
      });
      const alarm = alarmNamed(input.AlarmName) as CloudWatchAlarm;
      configuredAt.set(alarm, controlPlane.virtualNow());
      controlPlane.noteApiChange('PutMetricAlarm', input.AlarmName, `${outcome} (${input.MetricName} ${comparison} ${input.Threshold})`);
      return {};
    },

    DeleteAlarms: (raw) => {
      const input = parse(deleteAlarmsInput, raw);
      const missing = input.AlarmNames.filter((n) => alarmNamed(n) === undefined);
      if (missing.length > 0) throw new CloudWatchApiError('ResourceNotFound', `Alarm(s) not found: ${missing.join(', ')}`, 404);
      const tracking = input.AlarmNames.filter(isTracking);
      if (tracking.length > 0)
        throw new CloudWatchApiError(
          'InvalidParameterValue',
          `${tracking.join(', ')} belong to a target tracking policy (DO NOT EDIT OR DELETE); delete the policy with DeleteScalingPolicy instead.`,
        );
      controlPlane.deleteAlarms(input.AlarmNames);
      for (const name of input.AlarmNames) controlPlane.noteApiChange('DeleteAlarms', name, 'deleted');
      return {};
    },

    SetAlarmState: (raw) => {
      const input = parse(setAlarmStateInput, raw);
      const alarm = alarmNamed(input.AlarmName);
      if (!alarm) throw new CloudWatchApiError('ResourceNotFound', `Alarm ${input.AlarmName} not found`, 404);
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData);
        } catch {
          throw new CloudWatchApiError('InvalidFormat', 'StateReasonData is not valid JSON.');
        }
      }
      controlPlane.setAlarmState(alarm, input.StateValue, input.StateReason);
      controlPlane.noteApiChange('SetAlarmState', input.AlarmName, `${input.StateValue} (${input.StateReason})`);
      return {};
    },
  };
}

function isThresholdComparison(operator: string): operator is ComparisonOperator {
  return !operator.includes('Lower') && !operator.includes('Upper');
}

/** Validates an operation's input; the first problem becomes AWS's error. */
function parse<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.join('.') || 'request';
  const code = issue?.code === 'invalid_type' && issue.input === undefined ? 'MissingParameter' : 'InvalidParameterValue';
  if (code === 'MissingParameter') throw new CloudWatchApiError(code, `The parameter ${where} is required.`);
  throw new CloudWatchApiError(code, `The parameter ${where} ${issue?.message ?? 'is not valid'}.`);
}

/** AWS's range checks: the start before the end, and at most 1,440 datapoints in one call (B 7.12). */
function checkRange(startMs: number, endMs: number, periodSeconds: number): void {
  if (!(startMs < endMs))
    throw new CloudWatchApiError('InvalidParameterValue', 'The parameter StartTime must be less than the parameter EndTime.');
  const requested = Math.ceil((endMs - startMs) / (periodSeconds * 1000));
  if (requested > maxDatapoints)
    throw new CloudWatchApiError(
      'InvalidParameterCombination',
      `You have requested up to ${requested} datapoints, which exceeds the limit of ${maxDatapoints}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
}

function metricOf(input: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] | undefined }): MetricId {
  return {
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: Object.fromEntries((input.Dimensions ?? []).map((d) => [d.Name, d.Value])),
  };
}

/** The unit CloudWatch reports for the metrics the local cloud records. */
function unitOf(metricName: string): string {
  if (['Latency', 'IntegrationLatency', 'Duration', 'SuccessfulRequestLatency'].includes(metricName)) return 'Milliseconds';
  if (metricName === 'ProvisionedConcurrencyUtilization') return 'None';
  return 'Count';
}

/** A page of `items` from the offset in `token`, with the next page's token when more remain. */
function paginate<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; nextToken: string | undefined } {
  const offset = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10);
  if (!Number.isInteger(offset) || offset < 0) throw new CloudWatchApiError('InvalidNextToken', 'The NextToken is not valid.');
  const end = offset + size;
  return { items: items.slice(offset, end), nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

function describeAlarm(alarm: CloudWatchAlarm, configuredAtMs: number, startedAtMs: number): Record<string, unknown> {
  const d = alarm.definition;
  const percentile = d.statistic.startsWith('p');
  return {
    AlarmName: d.alarmName,
    AlarmArn: `arn:aws:cloudwatch:${region}:${account}:alarm:${d.alarmName}`,
    AlarmDescription: d.description,
    AlarmConfigurationUpdatedTimestamp: new Date(configuredAtMs),
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.state,
    StateReason: alarm.stateReason,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedMs ?? startedAtMs),
    StateTransitionedTimestamp: new Date(alarm.stateUpdatedMs ?? startedAtMs),
    MetricName: d.metric.metricName,
    Namespace: d.metric.namespace,
    ...(percentile ? { ExtendedStatistic: d.statistic } : { Statistic: d.statistic }),
    Dimensions: Object.entries(d.metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
    Period: d.periodSeconds,
    EvaluationPeriods: d.evaluationPeriods,
    DatapointsToAlarm: d.datapointsToAlarm ?? d.evaluationPeriods,
    Threshold: alarm.threshold,
    ComparisonOperator: d.comparison,
    TreatMissingData: d.treatMissingData ?? 'missing',
  };
}

interface HistoryItem {
  readonly AlarmName: string;
  readonly AlarmType: 'MetricAlarm';
  readonly Timestamp: Date;
  readonly HistoryItemType: 'StateUpdate' | 'ConfigurationUpdate';
  readonly HistorySummary: string;
  readonly HistoryData: string;
}

/** An event as DescribeAlarmHistory words it: a state change, or an alarm created, updated or deleted through the API. */
function historyItem(event: LocalEvent): HistoryItem[] {
  const at = new Date(event.virtualAtMs);
  if (event.type === 'alarm')
    return [
      {
        AlarmName: event.alarmName,
        AlarmType: 'MetricAlarm',
        Timestamp: at,
        HistoryItemType: 'StateUpdate',
        HistorySummary: `Alarm updated from ${event.from} to ${event.to}`,
        HistoryData: JSON.stringify({
          version: '1.0',
          oldState: { stateValue: event.from },
          newState: { stateValue: event.to, stateReason: event.reason },
        }),
      },
    ];
  if (event.type === 'api-change' && (event.operation === 'PutMetricAlarm' || event.operation === 'DeleteAlarms')) {
    const verb = event.operation === 'DeleteAlarms' ? 'deleted' : event.detail.startsWith('created') ? 'created' : 'updated';
    return [
      {
        AlarmName: event.resource,
        AlarmType: 'MetricAlarm',
        Timestamp: at,
        HistoryItemType: 'ConfigurationUpdate',
        HistorySummary: `Alarm "${event.resource}" ${verb}`,
        HistoryData: JSON.stringify({ version: '1.0', type: verb === 'created' ? 'Create' : verb === 'deleted' ? 'Delete' : 'Update' }),
      },
    ];
  }
  return [];
}
