import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Acquisition, LambdaConcurrency } from './lambda-concurrency.ts';

const acquireMany = (model: LambdaConcurrency, fn: string, count: number, nowMs = 0, qualifier?: string): Acquisition[] =>
  Array.from({ length: count }, () => model.acquire(fn, qualifier, nowMs));

describe('Lambda concurrency (docs/aws-facts.md B 5)', () => {
  it('B 5.3: reserved concurrency caps the function: the 101st concurrent request is throttled', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'get', reservedConcurrency: 100 }], startMs: 0 });
    const results = acquireMany(model, 'get', 101);
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    expect(results[100]).toEqual({ ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
  });

  it('B 5.5: 100 reserved serve at most 1,000 requests a second, however short each one is', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'get', reservedConcurrency: 100 }], startMs: 0 });
    const served = (second: number) => {
      let ok = 0;
      let refused: Acquisition | undefined;
      for (let i = 0; i < 1_200; i++) {
        const result = model.acquire('get', undefined, second * 1000 + i / 2);
        if (result.ok) {
          ok += 1;
          model.release(result.environment, second * 1000 + i / 2); // instant invocations: concurrency never binds
        } else refused ??= result;
      }
      return { ok, refused };
    };
    expect(served(0)).toEqual({ ok: 1_000, refused: { ok: false, reason: 'ReservedFunctionInvocationRateLimitExceeded' } });
    expect(served(1).ok).toBe(1_000); // the next second has its own 1,000
  });

  it('B 5.5: a provisioned alias serves at most 10 requests a second per unit of provisioned concurrency', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'create', provisioned: { live: 2 } }], startMs: 0 });
    const results = Array.from({ length: 25 }, (_, i) => {
      const result = model.acquire('create', 'live', i);
      if (result.ok) model.release(result.environment, i);
      return result;
    });
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(results[20]).toEqual({ ok: false, reason: 'FunctionInvocationRateLimitExceeded' });
    expect(model.acquire('create', undefined, 30).ok).toBe(true); // $LATEST is not the alias: the function's own limit
  });

  it('B 5.2: a reservation set while running caps new invocations at once, and one leaving under 100 unreserved is refused', () => {
    const model = new LambdaConcurrency({
      functions: [{ functionName: 'get' }, { functionName: 'put', reservedConcurrency: 500 }],
      startMs: 0,
    });
    const busy = acquireMany(model, 'get', 3);
    model.setReserved('get', 2);
    expect(model.acquire('get', undefined, 0)).toEqual({ ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' });
    for (const r of busy) if (r.ok) model.release(r.environment, 0);
    expect(acquireMany(model, 'get', 3).filter((r) => r.ok)).toHaveLength(2);
    expect(() => model.setReserved('get', 401)).toThrow(
      "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].",
    );
    expect(model.snapshot('get').reserved).toBe(2); // a refused change changes nothing
    model.setReserved('get', undefined);
    expect(model.snapshot('get').reserved).toBeUndefined();
  });

  it('B 5.2: reservations leave at least 100 unreserved; unreserved functions share the rest', () => {
    expect(() => new LambdaConcurrency({ functions: [{ functionName: 'a', reservedConcurrency: 901 }], startMs: 0 })).toThrow(
      /fewer than 100/,
    );
    const model = new LambdaConcurrency({
      functions: [{ functionName: 'reserved', reservedConcurrency: 900 }, { functionName: 'a' }, { functionName: 'b' }],
      startMs: 0,
    });
    expect(acquireMany(model, 'a', 60).every((r) => r.ok)).toBe(true);
    const b = acquireMany(model, 'b', 41);
    expect(b.filter((r) => r.ok)).toHaveLength(40);
    expect(b[40]).toEqual({ ok: false, reason: 'ConcurrentInvocationLimitExceeded' });
  });

  it('one request per environment: a released environment is reused warm, a busy one never', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'f' }], startMs: 0 });
    const first = model.acquire('f', undefined, 0);
    const second = model.acquire('f', undefined, 0);
    if (!first.ok || !second.ok) throw new Error('expected environments');
    expect(first.environment.id).not.toBe(second.environment.id);
    expect(first.coldStart && second.coldStart).toBe(true);
    model.release(first.environment, 10);
    const third = model.acquire('f', undefined, 20);
    expect(third).toMatchObject({ ok: true, coldStart: false });
    if (third.ok) expect(third.environment.id).toBe(first.environment.id);
  });

  it('B 5.8/5.11: provisioned environments serve warm; beyond them requests spill over to cold on-demand ones', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'create', provisioned: { live: 10 } }], startMs: 0 });
    const results = acquireMany(model, 'create', 12, 0, 'live');
    expect(results.slice(0, 10).every((r) => r.ok && !r.coldStart && !r.spillover)).toBe(true);
    expect(results.slice(10).every((r) => r.ok && r.coldStart && r.spillover)).toBe(true);
    // $LATEST (no qualifier) never uses the alias's provisioned environments.
    expect(model.acquire('create', undefined, 0)).toMatchObject({ ok: true, coldStart: true, spillover: false });
  });

  it('B 5.6: scales by at most 1,000 new environments per 10 seconds, refilled continuously', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'f' }], accountConcurrency: 5_000, startMs: 0 });
    const burst = acquireMany(model, 'f', 1_001);
    expect(burst.filter((r) => r.ok)).toHaveLength(1_000);
    expect(burst[1_000]).toEqual({ ok: false, reason: 'FunctionInvocationRateLimitExceeded' });
    expect(acquireMany(model, 'f', 101, 1_000).filter((r) => r.ok)).toHaveLength(100);
  });

  it('reclaims environments idle for 10 minutes; the next request cold-starts', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'f' }], startMs: 0 });
    const first = model.acquire('f', undefined, 0);
    if (!first.ok) throw new Error('expected an environment');
    model.release(first.environment, 1_000);
    expect(model.tick(1_000 + 599_999)).toHaveLength(0);
    expect(model.tick(1_000 + 600_000)).toHaveLength(1);
    expect(model.acquire('f', undefined, 700_000)).toMatchObject({ ok: true, coldStart: true });
  });

  it('applies a provisioned concurrency change only after the change delay', () => {
    const model = new LambdaConcurrency({ functions: [{ functionName: 'create', provisioned: { live: 1 } }], startMs: 0 });
    model.setProvisioned('create', 'live', 3, 0);
    expect(model.snapshot('create').provisioned).toBe(1);
    model.tick(60_000);
    expect(model.snapshot('create')).toMatchObject({ provisioned: 3, environments: 3 });
  });

  it('property: busy environments never exceed reserved concurrency; every request is served or throttled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.boolean(), { maxLength: 400 }), (reserved, ops) => {
        const model = new LambdaConcurrency({ functions: [{ functionName: 'f', reservedConcurrency: reserved }], startMs: 0 });
        const held: Acquisition[] = [];
        let offered = 0;
        let outcomes = 0;
        ops.forEach((acquire, i) => {
          if (acquire || held.length === 0) {
            offered++;
            const result = model.acquire('f', undefined, i);
            outcomes++;
            if (result.ok) held.push(result);
          } else {
            const result = held.pop();
            if (result?.ok) model.release(result.environment, i);
          }
          expect(model.snapshot('f').busy).toBeLessThanOrEqual(reserved);
        });
        expect(outcomes).toBe(offered);
      }),
    );
  });
});
