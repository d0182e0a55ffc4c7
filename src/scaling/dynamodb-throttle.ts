/** Read or write capacity. */
export type CapacityKind = 'read' | 'write';

/** The DynamoDB exception a throttled request gets (docs/aws-facts.md Part A, B 2.6-2.10). */
export interface DynamoDbThrottle {
  readonly exception: 'ProvisionedThroughputExceededException' | 'ThrottlingException';
  readonly message: string;
  /** The table, or the GSI that lacked capacity. */
  readonly indexName: string | undefined;
  readonly kind: CapacityKind;
  /** ThrottlingReasons reason (B 2.10), e.g. TableReadProvisionedThroughputExceeded. */
  readonly reason: string;
}

const tableMessage =
  'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const indexMessage =
  'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
const onDemandMessage =
  'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';

/** The throttle answer for a provisioned table or GSI. */
export function provisionedThrottle(kind: CapacityKind, indexName: string | undefined): DynamoDbThrottle {
  return {
    exception: 'ProvisionedThroughputExceededException',
    message: indexName === undefined ? tableMessage : indexMessage,
    indexName,
    kind,
    reason: `${indexName === undefined ? 'Table' : 'Index'}${kind === 'read' ? 'Read' : 'Write'}ProvisionedThroughputExceeded`,
  };
}

/** The throttle answer for an on-demand table or GSI above twice its previous peak or its maximum throughput. */
export function onDemandThrottle(kind: CapacityKind, indexName: string | undefined, maxThroughput: boolean): DynamoDbThrottle {
  return {
    exception: 'ThrottlingException',
    message: onDemandMessage,
    indexName,
    kind,
    reason: `${indexName === undefined ? 'Table' : 'Index'}${kind === 'read' ? 'Read' : 'Write'}${maxThroughput ? 'MaxOnDemandThroughputExceeded' : 'KeyRangeThroughputExceeded'}`,
  };
}
