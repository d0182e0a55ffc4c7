import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { createProductApi } from '../api/product-api.ts';
import type { RouteName } from '../api/product-routes.ts';
import { systemClock } from '../common/clock.ts';
import { readRequiredEnv } from '../common/env-config.ts';
import { DynamoDbProductStore } from '../store/dynamodb-product-store.ts';

/** Environment variables every product function needs; the stack sets them. */
export const productFunctionEnv = ['PRODUCTS_TABLE_NAME'] as const;

/** Options of {@link createProductFunction}. */
export interface ProductFunctionOptions {
  /** Routes this function serves (the REST API sends it only those). */
  readonly routes: readonly RouteName[];
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A Lambda handler for the product API. */
export type ProductHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Composition root shared by the four functions: reads config once, builds one keep-alive DynamoDB client per
 * process, and wires Powertools logging (JSON, request id, cold start) and EMF metrics around the API.
 */
export function createProductFunction(options: ProductFunctionOptions): ProductHandler {
  const env = options.env ?? process.env;
  const config = readRequiredEnv(env, productFunctionEnv);
  const logger = new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'product-api' });
  const metrics = new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE ?? 'TechModa',
    serviceName: env.POWERTOOLS_SERVICE_NAME ?? 'product-api',
  });
  const dynamo = new DynamoDBClient({
    // Set by the local cloud; in AWS it is absent and the SDK uses the regional endpoint.
    ...(env.AWS_ENDPOINT_URL_DYNAMODB && { endpoint: env.AWS_ENDPOINT_URL_DYNAMODB }),
    requestHandler: { httpAgent: new Agent({ keepAlive: true }), httpsAgent: new HttpsAgent({ keepAlive: true }) },
  });
  const client = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  let metricsPending = false;
  const api = createProductApi({
    store: new DynamoDbProductStore({ client, tableName: config.PRODUCTS_TABLE_NAME }),
    clock: systemClock,
    cursorSigningKey: config.PRODUCTS_TABLE_NAME,
    routes: options.routes,
    log: logger,
    metrics: {
      count: (name) => {
        metrics.addMetric(name, MetricUnit.Count, 1);
        metricsPending = true;
      },
    },
  });

  return async (event, context) => {
    logger.addContext(context);
    logger.appendKeys({ apiRequestId: event.requestContext?.requestId });
    const caller = callerOf(event);
    // The caller's id goes in the EMF record as metadata, not a dimension: one metric series, not one per client.
    if (caller) metrics.addMetadata('caller', caller);
    try {
      const result = await api(event, context);
      logger.info('request', { method: event.httpMethod, path: event.path, status: result.statusCode, ...(caller && { caller }) });
      return result;
    } finally {
      // Publishing with nothing stored only prints a warning per request; skip it.
      if (metricsPending) metrics.publishStoredMetrics();
      metricsPending = false;
    }
  };
}

/**
 * Who made a write: the Cognito authorizer's `client_id` (a machine client) or `sub` (a user), never the token
 * itself; undefined for a public read.
 */
export function callerOf(event: APIGatewayProxyEvent): string | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, string> | undefined;
  return claims?.client_id ?? claims?.sub;
}
