import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat, LambdaIntegration, LogGroupLogDestination, MethodLoggingLevel, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledgePublicRead } from './nag-acknowledgements.ts';
import type { ProductAuth } from './product-auth.ts';
import type { ProductFunctions } from './product-functions.ts';
import type { StackConfig } from './stack-config.ts';

/** Stage name of the deployed API; the URL ends in /prod. */
export const apiStageName = 'prod';

/** The REST API: the product routes (writes behind the Cognito authorizer), a stage with default method throttling, access logs and tracing. */
export class ProductRestApi extends Construct {
  readonly api: RestApi;

  constructor(scope: Construct, id: string, functions: ProductFunctions, auth: ProductAuth, config: StackConfig) {
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
    acknowledgePublicRead(products.addMethod('GET', read));
    // The alias, not the function: provisioned concurrency only serves invocations of the alias.
    // Reads stay public (shoppers browse without signing in); writes need a back-office token with products/write.
    products.addMethod('POST', new LambdaIntegration(functions.createProductLive), auth.writeMethod);
    acknowledgePublicRead(product.addMethod('GET', read));
    product.addMethod('PUT', new LambdaIntegration(functions.updateProduct), auth.writeMethod);
    product.addMethod('DELETE', new LambdaIntegration(functions.deleteProduct), auth.writeMethod);
  }
}
