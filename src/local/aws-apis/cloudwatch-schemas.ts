import { z } from 'zod';
import { isStatistic } from '../../scaling/metric-store.ts';

/**
 * CloudWatch's inputs as the API reference defines them, for both protocols: the query protocol carries every value as
 * text (numbers, booleans, ISO timestamps), JSON 1.0 as JSON (timestamps in epoch seconds). Constraints are AWS's
 * (lengths, ranges, list sizes), so a bad parameter gets AWS's error before anything runs.
 */

const number = z.coerce.number().refine(Number.isFinite, 'must be a number');
const integer = z.coerce.number().int();
const boolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((text) => text === 'true')]);
/** A timestamp in epoch milliseconds, from epoch seconds (JSON) or ISO 8601 (query). */
const timestamp = z.union([
  z.number().transform((seconds) => seconds * 1000),
  z.string().transform((text, context) => {
    const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
    if (Number.isNaN(ms)) context.addIssue({ code: 'custom', message: `is not a timestamp: ${text}` });
    return ms;
  }),
]);
const name = z.string().min(1).max(255);
const dimensions = z.array(z.object({ Name: name, Value: z.string().min(1).max(1024) })).max(30);
const statistic = z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
const extendedStatistic = z.string().refine((text) => /^p/.test(text) && isStatistic(text), 'must be a percentile such as p99 or p99.9');
const alarmState = z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']);
/** A period: 1, 5, 10, 30 or a multiple of 60 seconds (B 7.12). */
const period = integer.refine((s) => [1, 5, 10, 30].includes(s) || (s > 0 && s % 60 === 0), 'must be 1, 5, 10, 30 or a multiple of 60');
const metric = z.object({ Namespace: name, MetricName: name, Dimensions: dimensions.optional() });

export const describeAlarmsInput = z.looseObject({
  AlarmNames: z.array(name).max(100).optional(),
  AlarmNamePrefix: name.optional(),
  AlarmTypes: z.array(z.enum(['CompositeAlarm', 'MetricAlarm'])).optional(),
  StateValue: alarmState.optional(),
  ActionPrefix: z.string().min(1).max(1024).optional(),
  MaxRecords: integer.min(1).max(100).optional(),
  NextToken: z.string().optional(),
});

export const describeAlarmHistoryInput = z.looseObject({
  AlarmName: name.optional(),
  AlarmTypes: z.array(z.enum(['CompositeAlarm', 'MetricAlarm'])).optional(),
  HistoryItemType: z
    .enum(['ConfigurationUpdate', 'StateUpdate', 'Action', 'AlarmContributorStateUpdate', 'AlarmContributorAction'])
    .optional(),
  StartDate: timestamp.optional(),
  EndDate: timestamp.optional(),
  MaxRecords: integer.min(1).max(100).optional(),
  NextToken: z.string().optional(),
  ScanBy: z.enum(['TimestampDescending', 'TimestampAscending']).optional(),
});

export const getMetricStatisticsInput = z.looseObject({
  ...metric.shape,
  StartTime: timestamp,
  EndTime: timestamp,
  Period: period,
  Statistics: z.array(statistic).min(1).max(5).optional(),
  ExtendedStatistics: z.array(extendedStatistic).min(1).max(10).optional(),
  Unit: z.string().optional(),
});

export const getMetricDataInput = z.looseObject({
  MetricDataQueries: z
    .array(
      z.looseObject({
        Id: z
          .string()
          .min(1)
          .max(255)
          .regex(/^[a-z][a-zA-Z0-9_]*$/, 'must start with a lowercase letter, then letters, digits and underscores'),
        MetricStat: z
          .looseObject({
            Metric: metric,
            Period: period,
            Stat: z.string().refine(isStatistic, 'is not a statistic'),
            Unit: z.string().optional(),
          })
          .optional(),
        Expression: z.string().optional(),
        Label: z.string().optional(),
        ReturnData: boolean.optional(),
      }),
    )
    .min(1)
    .max(500),
  StartTime: timestamp,
  EndTime: timestamp,
  ScanBy: z.enum(['TimestampDescending', 'TimestampAscending']).optional(),
  MaxDatapoints: integer.min(1).optional(),
  NextToken: z.string().optional(),
});

export const listMetricsInput = z.looseObject({
  Namespace: name.optional(),
  MetricName: name.optional(),
  Dimensions: z
    .array(z.object({ Name: name, Value: z.string().min(1).max(1024).optional() }))
    .max(10)
    .optional(),
  NextToken: z.string().optional(),
});

export const putMetricAlarmInput = z.looseObject({
  AlarmName: name,
  AlarmDescription: z.string().max(1024).optional(),
  ActionsEnabled: boolean.optional(),
  OKActions: z.array(z.string()).max(5).optional(),
  AlarmActions: z.array(z.string()).max(5).optional(),
  InsufficientDataActions: z.array(z.string()).max(5).optional(),
  Namespace: name.optional(),
  MetricName: name.optional(),
  Dimensions: dimensions.optional(),
  Statistic: statistic.optional(),
  ExtendedStatistic: extendedStatistic.optional(),
  Period: integer.min(1).optional(),
  Unit: z.string().optional(),
  EvaluationPeriods: integer.min(1),
  DatapointsToAlarm: integer.min(1).optional(),
  Threshold: number.optional(),
  ComparisonOperator: z.enum([
    'GreaterThanOrEqualToThreshold',
    'GreaterThanThreshold',
    'LessThanThreshold',
    'LessThanOrEqualToThreshold',
    'LessThanLowerOrGreaterThanUpperThreshold',
    'LessThanLowerThreshold',
    'GreaterThanUpperThreshold',
  ]),
  TreatMissingData: z.enum(['breaching', 'notBreaching', 'ignore', 'missing']).optional(),
  Metrics: z.array(z.unknown()).optional(),
});

export const deleteAlarmsInput = z.looseObject({ AlarmNames: z.array(name).min(1).max(100) });

export const setAlarmStateInput = z.looseObject({
  AlarmName: name,
  StateValue: alarmState,
  StateReason: z.string().max(1023),
  StateReasonData: z.string().max(4000).optional(),
});
