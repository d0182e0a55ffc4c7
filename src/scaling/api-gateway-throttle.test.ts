import { describe, expect, it } from 'vitest';
import { ApiGatewayThrottle } from './api-gateway-throttle.ts';

describe('API Gateway throttling (docs/aws-facts.md B 6.1-6.4)', () => {
  it('gives each method its own stage-default bucket: burst at once, then the rate', () => {
    const throttle = new ApiGatewayThrottle({ stageDefault: { ratePerSecond: 10, burst: 5 }, startMs: 0 });
    const outcomes = Array.from({ length: 6 }, () => throttle.admit('GET /products', 0));
    expect(outcomes).toEqual([undefined, undefined, undefined, undefined, undefined, 'method']);
    expect(throttle.admit('POST /products', 0)).toBeUndefined();
    expect(throttle.admit('GET /products', 100)).toBeUndefined();
    expect(throttle.admit('GET /products', 100)).toBe('method');
  });

  it('applies the account limit (10,000 rps, burst 5,000) after the method limit', () => {
    const throttle = new ApiGatewayThrottle({ startMs: 0 });
    const refused = Array.from({ length: 5_001 }, () => throttle.admit('GET /products', 0)).filter(Boolean);
    expect(refused).toEqual(['account']);
  });
});
