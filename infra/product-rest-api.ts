import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat, LambdaIntegration, LogGroupLogDestination, MethodLoggingLevel, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ProductFunctions } from './product-functions.ts';
import type { StackConfig } from './stack-config.ts';

/** Stage name of the deployed API; the URL ends in /prod. */
export const apiStageName = 'prod';

/** The REST API: the product routes, a stage with default method throttling, access logs and tracing. */
export class ProductRestApi extends Construct {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, functions: ProductFunctions, config: StackConfig) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new RestApi(this, 'Api', {
      restApiName: 'techmoda-products',
      description: 'TechModa product API',
      cloudWatchRole: true,
      deployOptions: {
        stageName: apiStageName,
        // Default method throttling protects Lambda and DynamoDB from a runaway client; the account limit
        // (10,000 rps, burst 5,000) still applies above it (docs/aws-facts.md B 6.1-6.4).
        throttlingRateLimit: config.apiThrottleRatePerSecond,
        throttlingBurstLimit: config.apiThrottleBurst,
        tracingEnabled: true,
        metricsEnabled: config.apiDetailedMetrics,
        loggingLevel: MethodLoggingLevel.ERROR,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    const products = this.api.root.addResource('products');
    const product = products.addResource('{id}');
    const read = new LambdaIntegration(functions.getProducts);
    products.addMethod('GET', read);
    // The alias, not the function: provisioned concurrency only serves invocations of the alias.
    products.addMethod('POST', new LambdaIntegration(functions.createProductLive));
    product.addMethod('GET', read);
    product.addMethod('PUT', new LambdaIntegration(functions.updateProduct));
    product.addMethod('DELETE', new LambdaIntegration(functions.deleteProduct));
  }
}
