import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Alias, Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { productTableSchema } from '../src/store/product-table.ts';
import { scheduleSales } from './sale-schedule.ts';
import type { StackConfig } from './stack-config.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Memory buys CPU in Lambda: 512 MB halves init and JSON work against 128 MB for a few cents; the functions are
 * I/O-bound beyond that. The timeout leaves room for the DynamoDB client's four attempts with throttling backoff (up to ~7 s in
 * @aws-sdk/client-dynamodb 3.1169, 2026 retry defaults) and stays far
 * below API Gateway's 29 s integration timeout, so the client gets our 503 rather than the gateway's 504.
 */
const functionDefaults = { memorySize: 512, timeout: Duration.seconds(10) } as const;

/** The four functions the lab deploys, each with only the DynamoDB actions it calls. */
export class ProductFunctions extends Construct {
  readonly getProducts: NodejsFunction;
  readonly createProduct: NodejsFunction;
  /** Alias `live` of CreateProduct: provisioned concurrency lives on it, so the API must invoke it. */
  readonly createProductLive: Alias;
  readonly updateProduct: NodejsFunction;
  readonly deleteProduct: NodejsFunction;

  constructor(scope: Construct, id: string, table: Table, config: StackConfig) {
    super(scope, id);
    const indexArn = `${table.tableArn}/index/${productTableSchema.categoryIndex.indexName}`;
    this.getProducts = this.productFunction('GetProducts', 'get-products', table, {
      reservedConcurrentExecutions: config.getProductsReservedConcurrency,
      statement: new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:Query'],
        resources: [table.tableArn, indexArn],
      }),
    });
    this.createProduct = this.productFunction('CreateProduct', 'create-product', table, {
      statement: new PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:GetItem'], resources: [table.tableArn] }),
    });
    this.updateProduct = this.productFunction('UpdateProduct', 'update-product', table, {
      statement: new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resources: [table.tableArn] }),
    });
    this.deleteProduct = this.productFunction('DeleteProduct', 'delete-product', table, {
      statement: new PolicyStatement({ actions: ['dynamodb:DeleteItem', 'dynamodb:GetItem'], resources: [table.tableArn] }),
    });

    // Provisioned concurrency exists only on a version or alias (docs/aws-facts.md B 5.8), never on $LATEST.
    this.createProductLive = new Alias(this, 'CreateProductLive', {
      aliasName: 'live',
      version: this.createProduct.currentVersion,
      provisionedConcurrentExecutions: config.createProductProvisionedConcurrency,
    });
    const concurrency = this.createProductLive.addAutoScaling({
      minCapacity: config.createProductProvisionedConcurrency,
      maxCapacity: config.createProductMaxProvisionedConcurrency,
    });
    concurrency.scaleOnUtilization({ utilizationTarget: 0.7 });
    scheduleSales(
      concurrency,
      config.sales,
      { min: config.createProductProvisionedConcurrency, max: config.createProductMaxProvisionedConcurrency },
      (sale) => sale.minProvisionedConcurrency,
    );
  }

  private productFunction(
    id: string,
    entryName: string,
    table: Table,
    options: { statement: PolicyStatement; reservedConcurrentExecutions?: number },
  ): NodejsFunction {
    const fn = new NodejsFunction(this, id, {
      entry: `${repoRoot}src/lambda/${entryName}.ts`,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: `${repoRoot}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      ...functionDefaults,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      tracing: Tracing.ACTIVE,
      logGroup: new LogGroup(this, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY }),
      environment: {
        PRODUCTS_TABLE_NAME: table.tableName,
        POWERTOOLS_SERVICE_NAME: 'product-api',
        POWERTOOLS_METRICS_NAMESPACE: 'TechModa',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node24',
        minify: true,
        // Error classes name themselves from new.target.name: keep names, or Lambda logs say `e` instead of `StoreThrottledError`.
        keepNames: true,
        sourceMap: true,
        mainFields: ['module', 'main'],
        // Bundled CommonJS dependencies call require(); ESM output needs it defined.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        externalModules: [],
        logLevel: LogLevel.WARNING,
      },
    });
    fn.addToRolePolicy(options.statement);
    return fn;
  }
}
