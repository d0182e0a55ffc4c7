import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, type IScalableTableAttribute, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { productTableSchema } from '../src/store/product-table.ts';
import { scheduleSales } from './sale-schedule.ts';
import type { StackConfig } from './stack-config.ts';

/** The products table: key and GSI from src/store/product-table.ts, capacity as the config says. */
export class ProductTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, config: StackConfig) {
    super(scope, id);
    const { partitionKey, categoryIndex } = productTableSchema;
    const provisioned = config.billingMode === 'provisioned';
    const warm =
      config.warmReadUnitsPerSecond || config.warmWriteUnitsPerSecond
        ? { warmThroughput: { readUnitsPerSecond: config.warmReadUnitsPerSecond, writeUnitsPerSecond: config.warmWriteUnitsPerSecond } }
        : {};
    this.table = new Table(this, 'Table', {
      partitionKey: { name: partitionKey.name, type: AttributeType.STRING },
      billingMode: provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
      ...(provisioned
        ? { readCapacity: config.minReadCapacity, writeCapacity: config.minWriteCapacity }
        : { maxReadRequestUnits: config.maxReadRequestUnits, maxWriteRequestUnits: config.maxWriteRequestUnits }),
      ...warm,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The catalogue outlives any one deployment: deleting the stack must not delete the products.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: categoryIndex.indexName,
      partitionKey: { name: categoryIndex.partitionKey.name, type: AttributeType.STRING },
      sortKey: { name: categoryIndex.sortKey.name, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
      ...warm,
      ...(provisioned
        ? { readCapacity: config.minReadCapacity, writeCapacity: config.minWriteCapacity }
        : { maxReadRequestUnits: config.maxReadRequestUnits, maxWriteRequestUnits: config.maxWriteRequestUnits }),
    });
    if (provisioned) this.addAutoScaling(config);
  }

  /**
   * Target tracking on reads and writes of the table AND the GSI (a GSI short of write capacity throttles the
   * table's writes: docs/aws-facts.md B 1.19), plus the sales' scheduled minimums. No RoleARN: Application Auto
   * Scaling uses its service-linked role (B 10.4, 10.6).
   */
  private addAutoScaling(config: StackConfig): void {
    const indexName = productTableSchema.categoryIndex.indexName;
    const read = { minCapacity: config.minReadCapacity, maxCapacity: config.maxReadCapacity };
    const write = { minCapacity: config.minWriteCapacity, maxCapacity: config.maxWriteCapacity };
    const targets: [IScalableTableAttribute, typeof read, 'read' | 'write'][] = [
      [this.table.autoScaleReadCapacity(read), read, 'read'],
      [this.table.autoScaleWriteCapacity(write), write, 'write'],
      [this.table.autoScaleGlobalSecondaryIndexReadCapacity(indexName, read), read, 'read'],
      [this.table.autoScaleGlobalSecondaryIndexWriteCapacity(indexName, write), write, 'write'],
    ];
    for (const [target, bounds, kind] of targets) {
      target.scaleOnUtilization({ targetUtilizationPercent: config.targetUtilizationPercent });
      scheduleSales(target, config.sales, { min: bounds.minCapacity, max: bounds.maxCapacity }, (sale) =>
        kind === 'read' ? sale.minReadCapacity : sale.minWriteCapacity,
      );
    }
  }
}
