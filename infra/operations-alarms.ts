import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { productTableSchema } from '../src/store/product-table.ts';
import type { ProductFunctions } from './product-functions.ts';
import type { ProductRestApi } from './product-rest-api.ts';
import type { StackConfig } from './stack-config.ts';

const oneMinute = Duration.minutes(1);

/** Alarms on every throttle the lab's spike can cause, plus errors and latency, sent to one SNS topic. */
export class OperationsAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    parts: { table: Table; functions: ProductFunctions; api: ProductRestApi },
    config: StackConfig,
  ) {
    super(scope, id);
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'TechModa product API alarms', enforceSSL: true });
    if (config.alarmEmail) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));

    const { table, functions, api } = parts;
    const indexName = productTableSchema.categoryIndex.indexName;
    // The lab watched ReadThrottleEvents on the table only; writes and the GSI throttle too (GSI back-pressure).
    for (const kind of ['Read', 'Write'] as const) {
      this.add(
        `Table${kind}Throttles`,
        dynamoMetric(`${kind}ThrottleEvents`, { TableName: table.tableName }),
        1,
        `DynamoDB table ${kind.toLowerCase()} requests throttled`,
      );
      this.add(
        `Index${kind}Throttles`,
        dynamoMetric(`${kind}ThrottleEvents`, { TableName: table.tableName, GlobalSecondaryIndexName: indexName }),
        1,
        `DynamoDB GSI ${indexName} ${kind.toLowerCase()} requests throttled`,
      );
    }
    const named: [string, NodejsFunction][] = [
      ['GetProducts', functions.getProducts],
      ['CreateProduct', functions.createProduct],
      ['UpdateProduct', functions.updateProduct],
      ['DeleteProduct', functions.deleteProduct],
    ];
    for (const [name, fn] of named) {
      this.add(`${name}Throttles`, fn.metricThrottles({ period: oneMinute, statistic: 'Sum' }), 1, `${name} invocations throttled`);
      this.add(`${name}Errors`, fn.metricErrors({ period: oneMinute, statistic: 'Sum' }), 1, `${name} invocations failed`);
    }
    // Average of 5XXError is the share of requests that failed (docs/aws-facts.md B 6.10).
    this.add(
      'Api5xxRate',
      api.api.metricServerError({ period: oneMinute, statistic: 'Average' }),
      0.01,
      'More than 1% of API requests answered 5xx',
      2,
      3,
    );
    this.add(
      'ApiLatencyP99',
      api.api.metricLatency({ period: oneMinute, statistic: 'p99' }),
      config.apiLatencyP99AlarmMs,
      `API p99 latency above ${config.apiLatencyP99AlarmMs} ms`,
      3,
      3,
    );
    const reserved = config.getProductsReservedConcurrency;
    if (reserved > 0) {
      const threshold = Math.ceil(reserved * 0.8);
      this.add(
        'GetProductsConcurrencyNearReserved',
        new Metric({
          namespace: 'AWS/Lambda',
          metricName: 'ConcurrentExecutions',
          dimensionsMap: { FunctionName: functions.getProducts.functionName },
          statistic: 'Maximum',
          period: oneMinute,
        }),
        threshold,
        `GetProducts at ${threshold} concurrent executions, 80% of its reserved ${reserved}: the next spike will be throttled`,
      );
    }
  }

  private add(id: string, metric: IMetric, threshold: number, description: string, datapointsToAlarm = 1, evaluationPeriods = 1): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic means no throttles and no errors, not an unknown state.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    alarm.addOkAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}

function dynamoMetric(metricName: string, dimensionsMap: Record<string, string>): Metric {
  return new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic: 'Sum', period: oneMinute });
}
