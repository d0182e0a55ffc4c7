/** One line of a bill. */
export interface CostLine {
  readonly service: 'DynamoDB' | 'Lambda' | 'API Gateway' | 'CloudWatch' | 'Cognito';
  readonly item: string;
  readonly usd: number;
}
