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
    id: 'AwsSolutions::AwsSolutions-COG2',
    reason: 'The writers pool has no users: the back office and import jobs use the client-credentials grant, which MFA does not apply to.',
  },
  {
    id: 'AwsSolutions::AwsSolutions-COG8',
    reason:
      "The Plus plan's threat protection watches user sign-ins; this pool only issues client-credentials tokens, priced alike on every plan (docs/aws-facts.md B 11.12).",
  },
];

/**
 * Acknowledged on the GET methods only, so a write method without the authorizer is still a finding: shoppers browse
 * the catalogue without signing in.
 */
export const publicReadAcknowledgements: readonly { id: string; reason: string }[] = [
  { id: 'AwsSolutions::AwsSolutions-APIG4', reason: 'Reads are public by design: shoppers browse the catalogue without signing in.' },
  { id: 'AwsSolutions::AwsSolutions-COG4', reason: 'Reads are public by design; writes use the Cognito authorizer with products/write.' },
];

/** Applies {@link publicReadAcknowledgements} to one public read method. */
export function acknowledgePublicRead(method: Construct): void {
  for (const acknowledgement of publicReadAcknowledgements) Validations.of(method).acknowledge(acknowledgement);
}

/** Applies {@link nagAcknowledgements} to `scope`. */
export function acknowledgeNagFindings(scope: Construct): void {
  for (const acknowledgement of nagAcknowledgements) Validations.of(scope).acknowledge(acknowledgement);
}
