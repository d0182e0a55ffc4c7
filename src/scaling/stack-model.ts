import type { AlarmDefinition } from './cloudwatch-alarm.ts';
import type { ScalableTargetSpec } from './scalable-target.ts';
import type { TargetTrackingSpec } from './target-tracking.ts';

/** A Lambda function as the local runtime runs it. */
export interface LocalFunction {
  readonly logicalId: string;
  /** Short name for output ("GetProducts"). */
  readonly name: string;
  /** Directory of the code asset (the bundle that would deploy). */
  readonly codeDir: string;
  /** "index.handler" -> module "index", export "handler". */
  readonly handlerModule: string;
  readonly handlerExport: string;
  readonly runtime: string;
  readonly memoryMb: number;
  /** Lambda bills arm64 about 20% below x86_64 (docs/planner.md, prices). */
  readonly architecture: 'x86_64' | 'arm64';
  readonly timeoutMs: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly reservedConcurrency: number | undefined;
  /** Provisioned concurrency per alias name. */
  readonly provisioned: Readonly<Record<string, number>>;
}

/** One method of the REST API and the function (and alias) its proxy integration invokes. */
export interface LocalRoute {
  /** Resource path with parameters: "/products/{id}". */
  readonly resourcePath: string;
  readonly method: string;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  /** The method's authorizer; absent for `AuthorizationType: NONE`. */
  readonly authorization?: RouteAuthorization | undefined;
}

/** A `COGNITO_USER_POOLS` authorizer on a method (docs/aws-facts.md B 11). */
export interface RouteAuthorization {
  readonly authorizerName: string;
  /** Logical ids of the user pools whose tokens it accepts. */
  readonly userPools: readonly string[];
  /** The request header the token comes in (`method.request.header.Authorization`). */
  readonly header: string;
  /** The method's `AuthorizationScopes`: with any, an access token holding one of them; with none, an ID token. */
  readonly scopes: readonly string[];
}

/** A Cognito user pool of the template: its resource servers and app clients. */
export interface LocalUserPool {
  readonly logicalId: string;
  readonly name: string;
  /** Scopes the resource servers define, as `identifier/scope`. */
  readonly scopes: readonly string[];
  readonly clients: readonly LocalUserPoolClient[];
  /** The hosted domain prefix that serves `/oauth2/token`, when the pool has one. */
  readonly domain: string | undefined;
}

/** An app client of a user pool. */
export interface LocalUserPoolClient {
  readonly logicalId: string;
  readonly name: string;
  readonly clientCredentials: boolean;
  readonly generateSecret: boolean;
  /** `AllowedOAuthScopes`, as `identifier/scope`. */
  readonly scopes: readonly string[];
  readonly accessTokenValiditySeconds: number;
}

/** The REST API and its one stage. */
export interface LocalApi {
  readonly name: string;
  readonly stageName: string;
  /** Stage default method throttling, when set. */
  readonly defaultThrottle: { readonly ratePerSecond: number; readonly burst: number } | undefined;
  readonly routes: readonly LocalRoute[];
  /** The stage's `AccessLogSetting.Format` (`$context` variables), when it logs access. */
  readonly accessLogFormat?: string | undefined;
  /** Detailed CloudWatch metrics (`MethodSettings` `MetricsEnabled` on `*` `/*`): per method and resource. */
  readonly detailedMetrics?: boolean | undefined;
}

export type { KeyElement } from './index-entry.ts';

import type { KeyElement } from './index-entry.ts';

/** A DynamoDB table and its GSIs. */
export interface LocalTable {
  readonly logicalId: string;
  readonly tableName: string;
  readonly keySchema: readonly KeyElement[];
  readonly attributeDefinitions: readonly { AttributeName: string; AttributeType: string }[];
  readonly indexes: readonly {
    indexName: string;
    keySchema: readonly KeyElement[];
    projection: Record<string, unknown>;
    readUnits?: number;
    writeUnits?: number;
    warmThroughput?: WarmThroughput | undefined;
  }[];
  readonly billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  readonly readUnits: number | undefined;
  readonly writeUnits: number | undefined;
  readonly maxOnDemand: { readUnitsPerSecond?: number; writeUnitsPerSecond?: number } | undefined;
  /** `WarmThroughput` (B 3.8): what the table can serve at once, raised ahead of a sale ("pre-warming"). */
  readonly warmThroughput?: WarmThroughput | undefined;
}

/** Read and write units per second a table or GSI serves at once (`WarmThroughput`). */
export interface WarmThroughput {
  readonly readUnitsPerSecond?: number | undefined;
  readonly writeUnitsPerSecond?: number | undefined;
}

/** Everything `techmoda local` takes from a synthesized template. */
export interface StackModel {
  readonly stackName: string;
  readonly functions: readonly LocalFunction[];
  readonly api: LocalApi | undefined;
  readonly tables: readonly LocalTable[];
  /** AWS::CloudWatch::Alarm resources on a single metric (metric-math alarms are listed in notEmulated). */
  readonly alarms: readonly AlarmDefinition[];
  readonly scalableTargets: readonly ScalableTargetSpec[];
  readonly scalingPolicies: readonly TargetTrackingSpec[];
  /** Cognito user pools (the writers' pool of the stack). */
  readonly userPools?: readonly LocalUserPool[] | undefined;
  /** Resource types present in the template that the local cloud does not emulate, with counts. */
  readonly notEmulated: Readonly<Record<string, number>>;
}
