import type { CapacityObserver } from './dynamodb/dynamodb-front.ts';
import type { GatewayObserver } from './gateway/api-gateway.ts';
import type { InvocationObserver } from './lambda/lambda-runtime.ts';

interface Window {
  byStatus: Map<string, number>;
  gatewayThrottles: number;
  lambdaThrottles: number;
  dynamoThrottles: number;
  coldStarts: number;
  peakConcurrency: Map<string, number>;
}

const emptyWindow = (): Window => ({
  byStatus: new Map(),
  gatewayThrottles: 0,
  lambdaThrottles: 0,
  dynamoThrottles: 0,
  coldStarts: 0,
  peakConcurrency: new Map(),
});

/**
 * Counts what the gateway, the runtime and the DynamoDB front report, per console window: requests by outcome,
 * throttles by cause, cold starts and peak concurrency per function. Also keeps totals since start-up.
 */
export class TrafficSummary {
  private window = emptyWindow();
  private readonly totals = emptyWindow();

  /** Observers to hand to the gateway, runtime and front. */
  readonly gateway: GatewayObserver = {
    completed: (event) => {
      for (const w of [this.window, this.totals]) {
        const key = statusClass(event.statusCode);
        w.byStatus.set(key, (w.byStatus.get(key) ?? 0) + 1);
        if (event.outcome === 'gateway-throttled') w.gatewayThrottles++;
      }
    },
  };

  readonly runtime: InvocationObserver = {
    invoked: (event) => {
      for (const w of [this.window, this.totals]) {
        if (event.outcome.kind === 'throttled') w.lambdaThrottles++;
        else if (event.outcome.coldStart) w.coldStarts++;
        w.peakConcurrency.set(event.functionName, Math.max(w.peakConcurrency.get(event.functionName) ?? 0, event.concurrency));
      }
    },
  };

  readonly capacity: CapacityObserver = {
    consumed: () => {},
    throttled: () => {
      this.window.dynamoThrottles++;
      this.totals.dynamoThrottles++;
    },
  };

  /** Totals since start-up. */
  get total(): Readonly<{
    requests: Record<string, number>;
    gatewayThrottles: number;
    lambdaThrottles: number;
    dynamoThrottles: number;
    coldStarts: number;
    peakConcurrency: Record<string, number>;
  }> {
    return describe(this.totals);
  }

  /** One console line for the window that just ended, then a new window. Undefined when nothing happened. */
  nextLine(windowSeconds: number): string | undefined {
    const w = describe(this.window);
    this.window = emptyWindow();
    const requests = Object.values(w.requests).reduce((a, b) => a + b, 0);
    if (requests === 0 && w.dynamoThrottles === 0) return undefined;
    const outcomes = ['2xx', '4xx', '429', '5xx'].map((k) => `${k}=${w.requests[k] ?? 0}`).join(' ');
    const peaks =
      Object.entries(w.peakConcurrency)
        .map(([fn, n]) => `${fn}=${n}`)
        .join(' ') || 'none';
    return `[last ${windowSeconds}s] requests ${requests} (${outcomes}) | throttles gateway=${w.gatewayThrottles} lambda=${w.lambdaThrottles} dynamodb=${w.dynamoThrottles} | cold starts ${w.coldStarts} | peak concurrency ${peaks}`;
  }
}

function describe(w: Window) {
  return {
    requests: Object.fromEntries(w.byStatus),
    gatewayThrottles: w.gatewayThrottles,
    lambdaThrottles: w.lambdaThrottles,
    dynamoThrottles: w.dynamoThrottles,
    coldStarts: w.coldStarts,
    peakConcurrency: Object.fromEntries(w.peakConcurrency),
  };
}

function statusClass(statusCode: number): string {
  if (statusCode === 429) return '429';
  return `${Math.floor(statusCode / 100)}xx`;
}
