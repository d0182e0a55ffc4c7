import type { StackModel } from '../scaling/stack-model.ts';
import type { CostLine } from './cost-line.ts';
import type { PriceTable } from './prices.ts';

const monthSeconds = 30 * 86_400;

/**
 * What the writers' user pool costs over `seconds` (B 11.11): each client-credentials app client per month, prorated,
 * and its token requests, assuming one back-office process per client that holds a token the whole time and asks for
 * the next a minute before the current expires (as `techmoda load` does). The authorizer itself is not charged.
 */
export function cognitoLines(model: StackModel, seconds: number, prices: PriceTable): CostLine[] {
  const clients = (model.userPools ?? []).flatMap((pool) => pool.clients.filter((c) => c.clientCredentials));
  if (clients.length === 0) return [];
  const tokens = clients.reduce((sum, c) => sum + Math.ceil(seconds / Math.max(60, c.accessTokenValiditySeconds - 60)), 0);
  return [
    {
      service: 'Cognito',
      item: `machine-to-machine app clients (${clients.length}, prorated)`,
      usd: (clients.length * prices.cognito.m2mAppClientMonth * seconds) / monthSeconds,
    },
    {
      service: 'Cognito',
      // The same item in the event's and the month's bill, so the two columns line up.
      item: 'token requests (one per client per token lifetime, less a minute)',
      usd: (tokens * prices.cognito.m2mTokenRequestsPerThousand) / 1000,
    },
  ];
}
