/** The account and region the local cloud stands for: its pseudo parameters, and every ARN its AWS APIs answer with. */
export const localAccount = { region: 'us-east-1', accountId: '000000000000', partition: 'aws' } as const;
