import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, type IWidget, MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { productTableSchema } from '../src/store/product-table.ts';
import type { ProductFunctions } from './product-functions.ts';
import type { ProductRestApi } from './product-rest-api.ts';

const period = Duration.minutes(1);

/** One CloudWatch dashboard with the graphs the lab asks to watch during the spike. */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, parts: { table: Table; functions: ProductFunctions; api: ProductRestApi }) {
    super(scope, id);
    const { table, functions, api } = parts;
    const fns = [functions.getProducts, functions.createProduct, functions.updateProduct, functions.deleteProduct];
    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'techmoda-product-api' });
    this.dashboard.addWidgets(
      graph('API requests per minute', [
        api.api.metricCount({ period, statistic: 'Sum' }),
        api.api.metricClientError({ period, statistic: 'Sum' }),
        api.api.metricServerError({ period, statistic: 'Sum' }),
      ]),
      graph('API latency (ms)', [
        api.api.metricLatency({ period, statistic: 'p50' }),
        api.api.metricLatency({ period, statistic: 'p99' }),
        api.api.metricIntegrationLatency({ period, statistic: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda concurrent executions (max)',
        fns.map((fn) => fn.metric('ConcurrentExecutions', { period, statistic: 'Maximum' })),
      ),
      graph(
        'Lambda throttles',
        fns.map((fn) => fn.metricThrottles({ period, statistic: 'Sum' })),
      ),
    );
    const widgets: IWidget[] = [];
    for (const index of [undefined, productTableSchema.categoryIndex.indexName]) {
      const dims: Record<string, string> = { TableName: table.tableName, ...(index && { GlobalSecondaryIndexName: index }) };
      const where = index ? `GSI ${index}` : 'table';
      for (const kind of ['Read', 'Write'] as const) {
        // Consumed is a per-minute Sum; divide by 60 to compare with provisioned units per second.
        const consumed = new MathExpression({
          expression: 'consumed / 60',
          usingMetrics: { consumed: dynamo(`Consumed${kind}CapacityUnits`, dims, 'Sum') },
          label: `consumed ${kind.toLowerCase()} units/s`,
          period,
        });
        widgets.push(
          graph(`DynamoDB ${where} ${kind.toLowerCase()}s: consumed vs provisioned`, [
            consumed,
            dynamo(`Provisioned${kind}CapacityUnits`, dims, 'Average'),
          ]),
        );
      }
      widgets.push(
        graph(`DynamoDB ${where} throttle events`, [dynamo('ReadThrottleEvents', dims, 'Sum'), dynamo('WriteThrottleEvents', dims, 'Sum')]),
      );
    }
    this.dashboard.addWidgets(...widgets);
  }
}

function graph(title: string, left: (Metric | MathExpression)[]): GraphWidget {
  return new GraphWidget({ title, left, width: 12, height: 6 });
}

function dynamo(metricName: string, dimensionsMap: Record<string, string>, statistic: string): Metric {
  return new Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap, statistic, period });
}
