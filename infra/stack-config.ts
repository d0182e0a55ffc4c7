import { z } from 'zod';
import { relativeTimeMs } from '../src/common/relative-time.ts';

const saleTime = z.iso.datetime({
  message: 'must be an ISO-8601 UTC time ("2027-01-08T08:00:00Z") or relative to salesAnchor ("+PT2M")',
});

/** A known sale: capacity and provisioned concurrency are raised before it starts and restored after it ends. */
export const saleEventSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a lower-case slug'),
  /**
   * ISO-8601 UTC start, e.g. "2027-01-08T08:00:00Z", or a time relative to `salesAnchor`, e.g. "+PT2M" (resolved
   * before validation, so the stack only ever sees absolute times).
   */
  startsAt: saleTime,
  endsAt: saleTime,
  /** Minimum read and write units on the table and the GSI during the sale (provisioned mode). */
  minReadCapacity: z.number().int().min(1),
  minWriteCapacity: z.number().int().min(1),
  /** Minimum provisioned concurrency of CreateProduct during the sale. */
  minProvisionedConcurrency: z.number().int().min(1),
  /** How long before the start the minimums rise: target tracking and UpdateTable need minutes. @default 30 */
  leadMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(30),
});

/** A sale for the scheduled scaling actions. */
export type SaleEvent = z.output<typeof saleEventSchema>;

const count = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Everything the stack lets a user tune, with the lab's values as defaults. Context options (`-c name=value`) of the
 * same names override them; see the README's "Deploying" section.
 */
export const stackConfigSchema = z
  .strictObject({
    /** `provisioned` (the lab's auto-scaled table, default) or `on-demand`. */
    billingMode: z.enum(['provisioned', 'on-demand']).default('provisioned'),
    /** Provisioned mode: auto scaling bounds and target (the lab: 5..100 at 70%). */
    minReadCapacity: count(1, 40_000).default(5),
    maxReadCapacity: count(1, 40_000).default(100),
    minWriteCapacity: count(1, 40_000).default(5),
    maxWriteCapacity: count(1, 40_000).default(100),
    targetUtilizationPercent: count(20, 90).default(70),
    /** On-demand mode: optional ceilings (maximum throughput) in request units per second. */
    maxReadRequestUnits: count(1, 40_000).optional(),
    maxWriteRequestUnits: count(1, 40_000).optional(),
    /**
     * Warm throughput of the table and its GSI (docs/aws-facts.md B 3.8): what it serves at once, raised ahead of a
     * known sale ("pre-warming"); it cannot be lowered again. Either mode; a new on-demand table has 12,000 / 4,000.
     */
    warmReadUnitsPerSecond: count(1, 1_000_000).optional(),
    warmWriteUnitsPerSecond: count(1, 1_000_000).optional(),
    /** GetProducts reserved concurrency (the lab: 100). */
    getProductsReservedConcurrency: count(0, 900).default(100),
    /** CreateProduct provisioned concurrency on alias `live` (the lab: 10) and its auto scaling ceiling. */
    createProductProvisionedConcurrency: count(1, 900).default(10),
    createProductMaxProvisionedConcurrency: count(1, 900).default(50),
    /** Default method throttling of the API stage, requests per second and bucket size. */
    apiThrottleRatePerSecond: count(1, 10_000).default(1_000),
    apiThrottleBurst: count(1, 5_000).default(2_000),
    /**
     * API Gateway detailed metrics: Count, latency and errors per method and resource, so `techmoda profile` can
     * rebuild the mix from CloudWatch (docs/traffic-history.md). Off by default: each is a custom metric, billed.
     */
    apiDetailedMetrics: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .default(false)
      .transform((v) => v === true || v === 'true'),
    /** API p99 latency alarm threshold. */
    apiLatencyP99AlarmMs: count(50, 29_000).default(1_000),
    /** Alarm notifications go to this address when set (the subscription must be confirmed). */
    alarmEmail: z.email().optional(),
    /**
     * What relative sale times ("+PT2M") count from. Default: the time of synthesis. `techmoda local` and
     * `npm run lab` set it to the start of their run, so a plan's relative schedule replays as it was planned.
     */
    salesAnchor: z.iso.datetime().optional(),
    /** Scheduled pre-scaling for known sales. */
    sales: z.array(saleEventSchema).default([
      {
        name: 'winter-sale',
        startsAt: '2027-01-08T08:00:00Z',
        endsAt: '2027-01-08T20:00:00Z',
        minReadCapacity: 60,
        minWriteCapacity: 30,
        minProvisionedConcurrency: 40,
        leadMinutes: 30,
      },
    ]),
  })
  .superRefine((config, ctx) => {
    for (const [min, max] of [
      ['minReadCapacity', 'maxReadCapacity'],
      ['minWriteCapacity', 'maxWriteCapacity'],
      ['createProductProvisionedConcurrency', 'createProductMaxProvisionedConcurrency'],
    ] as const) {
      if (config[min] > config[max]) ctx.addIssue({ code: 'custom', path: [min], message: `must not exceed ${max} (${config[max]})` });
    }
    config.sales.forEach((sale, i) => {
      if (Date.parse(sale.endsAt) <= Date.parse(sale.startsAt))
        ctx.addIssue({ code: 'custom', path: ['sales', i, 'endsAt'], message: 'must be after startsAt' });
    });
  });

/** The validated configuration of one stack. */
export type StackConfig = z.output<typeof stackConfigSchema>;

/** Context option names the stack reads, in the order the README documents them. */
export const stackContextKeys = Object.keys(stackConfigSchema.shape) as (keyof StackConfig)[];

/**
 * Builds the config from CDK context values (strings from `-c`, JSON values from cdk.json). `sales` may be given as
 * a JSON string. Throws one error naming every bad option.
 */
export function stackConfigFromContext(read: (key: string) => unknown, nowMs = Date.now()): StackConfig {
  const raw: Record<string, unknown> = {};
  for (const key of stackContextKeys) {
    const value = read(key);
    if (value !== undefined) raw[key] = key === 'sales' && typeof value === 'string' ? parseJson(value, key) : value;
  }
  const anchor = typeof raw.salesAnchor === 'string' ? Date.parse(raw.salesAnchor) : nowMs;
  if (Array.isArray(raw.sales) && !Number.isNaN(anchor)) raw.sales = raw.sales.map((sale: unknown) => resolveSaleTimes(sale, anchor));
  const parsed = stackConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(context)'}: ${issue.message}`);
    throw new Error(`Invalid context options: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Whether any sale in the context's `sales` (a JSON string or an array) uses relative times. */
export function hasRelativeSales(sales: unknown): boolean {
  let parsed = sales;
  if (typeof sales === 'string') {
    try {
      parsed = JSON.parse(sales);
    } catch {
      return false;
    }
  }
  return (
    Array.isArray(parsed) &&
    parsed.some(
      (sale: unknown) =>
        typeof sale === 'object' && sale !== null && ['startsAt', 'endsAt'].some((k) => isRelative((sale as Record<string, unknown>)[k])),
    )
  );
}

function isRelative(value: unknown): boolean {
  return typeof value === 'string' && relativeTimeMs(value) !== undefined;
}

/** A sale with "+PT..." times made absolute against `anchorMs`; anything else unchanged for the schema to judge. */
function resolveSaleTimes(sale: unknown, anchorMs: number): unknown {
  if (typeof sale !== 'object' || sale === null) return sale;
  const resolved: Record<string, unknown> = { ...(sale as Record<string, unknown>) };
  for (const key of ['startsAt', 'endsAt']) {
    const offset = typeof resolved[key] === 'string' ? relativeTimeMs(resolved[key] as string) : undefined;
    if (offset !== undefined) resolved[key] = new Date(anchorMs + offset).toISOString();
  }
  return resolved;
}

function parseJson(value: string, key: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new Error(`Invalid context options: ${key}: is not valid JSON`);
  }
}
