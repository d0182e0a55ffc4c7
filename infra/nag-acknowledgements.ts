import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * cdk-nag AwsSolutions findings this stack accepts, each with its reason; anything else fails synth. Each names
 * one finding (rule and evidence), so a new wildcard or managed policy is a new finding, not silently covered.
 */
export const nagAcknowledgements: readonly { id: string; reason: string }[] = [
  {
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'AWSLambdaBasicExecutionRole grants only CloudWatch Logs writes for the function; it is the narrow AWS-maintained policy for that.',
  },
  {
    id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason: 'API Gateway access logging needs the account-level CloudWatch role; this AWS-maintained policy is the documented one for it.',
  },
  {
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason:
      'Resource "*" appears only for X-Ray PutTraceSegments/PutTelemetryRecords (active tracing), which support no resource-level permissions. DynamoDB access is per action on the table and byCategory index ARNs (asserted in infra tests).',
  },
  {
    id: 'AwsSolutions::AwsSolutions-APIG2',
    reason:
      'Requests are validated in the handlers (zod: one detail per field, documented error codes, unknown query parameters refused); a gateway validator would duplicate the schema with less precise errors.',
  },
  {
    id: 'AwsSolutions::AwsSolutions-APIG3',
    reason:
      'No WAF in the lab scope; the stage default method throttling limits abuse. Put a WAFv2 web ACL in front before the API is public.',
  },
  {
    id: 'AwsSolutions::AwsSolutions-APIG4',
    reason:
      'The lab API has no authorization: it is a load-test target. Reading a public catalogue is open by design; writes need an authorizer before production (docs/lab-review.md).',
  },
  { id: 'AwsSolutions::AwsSolutions-COG4', reason: 'No Cognito in the lab scope; see AwsSolutions-APIG4.' },
];

/** Applies {@link nagAcknowledgements} to `scope`. */
export function acknowledgeNagFindings(scope: Construct): void {
  for (const acknowledgement of nagAcknowledgements) Validations.of(scope).acknowledge(acknowledgement);
}
