import { z } from 'zod';

const perArchitecture = z.strictObject({ x86_64: z.number().min(0), arm64: z.number().min(0) });

/** Prices the bill is computed from, in US dollars, for one Region. */
export const priceTableSchema = z.strictObject({
  region: z.string(),
  /** The date the prices were read (YYYY-MM-DD). */
  asOf: z.iso.date(),
  dynamodb: z.strictObject({
    readCapacityUnitHour: z.number().min(0),
    writeCapacityUnitHour: z.number().min(0),
    readRequestUnitsPerMillion: z.number().min(0),
    writeRequestUnitsPerMillion: z.number().min(0),
    /**
     * One-time charge per read or write unit per second of warm throughput raised above what the table had
     * (pre-warming, B 3.8). AWS charges for it, but no source we hold states the price: unset, a pre-warm is
     * listed at $0 and the plan says the price is missing (give it with --prices).
     */
    warmThroughputUnit: z.number().min(0).optional(),
  }),
  lambda: z.strictObject({
    requestsPerMillion: z.number().min(0),
    gbSecond: perArchitecture,
    provisionedGbSecond: perArchitecture,
    provisionedDurationGbSecond: perArchitecture,
  }),
  apiGateway: z.strictObject({ restRequestsPerMillion: z.number().min(0) }),
  cloudWatch: z.strictObject({ alarmMonth: z.number().min(0) }),
  /** Cognito machine-to-machine (client credentials): per app client per month, and per 1,000 token requests (B 11.11). */
  cognito: z.strictObject({ m2mAppClientMonth: z.number().min(0), m2mTokenRequestsPerThousand: z.number().min(0) }),
  /** Where each group of prices comes from. */
  sources: z.record(z.string(), z.string()),
});

/** A validated price table. */
export type PriceTable = z.output<typeof priceTableSchema>;

/**
 * us-east-1 list prices, first tiers, no free tier (an event is planned for an account that has used it). Sources and
 * the arithmetic of the break-even points: docs/planner.md, "Prices". Refresh from the AWS Price List API
 * (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<Service>/current/region_index.json) or pass --prices.
 */
export const defaultPrices: PriceTable = {
  region: 'us-east-1',
  asOf: '2026-11-29',
  dynamodb: {
    readCapacityUnitHour: 0.00013,
    writeCapacityUnitHour: 0.00065,
    readRequestUnitsPerMillion: 0.125,
    writeRequestUnitsPerMillion: 0.625,
  },
  lambda: {
    requestsPerMillion: 0.2,
    gbSecond: { x86_64: 0.0000166667, arm64: 0.0000133334 },
    provisionedGbSecond: { x86_64: 0.0000041667, arm64: 0.0000033334 },
    provisionedDurationGbSecond: { x86_64: 0.0000097222, arm64: 0.0000077778 },
  },
  apiGateway: { restRequestsPerMillion: 3.5 },
  cloudWatch: { alarmMonth: 0.1 },
  cognito: { m2mAppClientMonth: 6, m2mTokenRequestsPerThousand: 2.25 },
  sources: {
    dynamodb:
      'https://aws.amazon.com/dynamodb/pricing/ (on-demand cut of 2024-11-01: https://aws.amazon.com/blogs/database/new-amazon-dynamodb-lowers-pricing-for-on-demand-throughput-and-global-tables/)',
    lambda: 'https://aws.amazon.com/lambda/pricing/',
    apiGateway: 'https://aws.amazon.com/api-gateway/pricing/ (REST APIs, first 333 million requests a month)',
    cloudWatch: 'https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution alarm metric)',
    cognito:
      'https://aws.amazon.com/cognito/pricing/ (machine-to-machine, billed since 2024-05-09; figures from the Vantage CUR rate CUPM2MTokenRequestsFull, 2025-04-27, and rhythmictech.com, 2025-05: docs/aws-facts.md B 11.11)',
  },
};

/** The default prices with an override's values over them (any subset of the table's fields); the first problem if invalid. */
export function pricesWith(override: unknown): { prices: PriceTable } | { problem: string } {
  const parsed = priceTableSchema.safeParse(merge(defaultPrices, override));
  if (parsed.success) return { prices: parsed.data };
  const issue = parsed.error.issues[0];
  return { problem: `${issue?.path.join('.') || '(file)'}: ${issue?.message ?? 'is invalid'}` };
}

function merge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over)) merged[key] = merge(merged[key], value);
  return merged;
}
