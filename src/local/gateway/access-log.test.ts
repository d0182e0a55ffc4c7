import { describe, expect, it } from 'vitest';
import { accessLogLine, clfTime, RecentAccess, standardAccessLogFormat } from './access-log.ts';

const request = {
  requestId: 'r-1',
  sourceIp: '127.0.0.1',
  requestTimeMs: Date.parse('2026-11-27T08:05:09.250Z'),
  httpMethod: 'GET',
  resourcePath: '/products/{id}',
  path: '/prod/products/abc',
  protocol: 'HTTP/1.1',
  status: 404,
  responseLength: 129,
  responseLatencyMs: 12,
  integrationLatencyMs: undefined,
  stage: 'prod',
  apiId: 'techmoda-products',
  errorMessage: undefined,
};

describe('the stage access log', () => {
  it('writes $context.requestTime in the common log format, UTC', () => {
    expect(clfTime(request.requestTimeMs)).toBe('27/Nov/2026:08:05:09 +0000');
  });

  it('fills the standard JSON fields, "-" for a variable without a value, and the result is JSON', () => {
    const line = accessLogLine(standardAccessLogFormat, request);
    expect(JSON.parse(line)).toEqual({
      requestId: 'r-1',
      ip: '127.0.0.1',
      user: '-',
      caller: '-',
      requestTime: '27/Nov/2026:08:05:09 +0000',
      httpMethod: 'GET',
      resourcePath: '/products/{id}',
      status: '404',
      protocol: 'HTTP/1.1',
      responseLength: '129',
    });
  });

  it('takes any format of $context variables, unquoted numbers included', () => {
    expect(
      accessLogLine(
        '$context.httpMethod $context.resourcePath $context.status $context.requestTimeEpoch $context.integrationLatency',
        request,
      ),
    ).toBe(`GET /products/{id} 404 ${request.requestTimeMs} -`);
  });
});

describe("RecentAccess, the dashboard's sample of the access log", () => {
  it('keeps a fixed ring and gives the newest lines since a point, saying how many it left out', () => {
    const recent = new RecentAccess('$context.requestId $context.status', 5);
    for (let i = 1; i <= 12; i++) recent.record({ ...request, requestId: `r-${i}`, status: 200 });
    expect(recent.count).toBe(12);
    // Only the last 5 are kept: asked for everything since 0, at most 3, it gives the 3 newest and leaves 9 out.
    expect(recent.linesSince(0, 3)).toEqual({ lines: ['r-10 200', 'r-11 200', 'r-12 200'], omitted: 9 });
    expect(recent.linesSince(11, 20)).toEqual({ lines: ['r-12 200'], omitted: 0 });
    expect(recent.linesSince(12, 20)).toEqual({ lines: [], omitted: 0 });
  });
});
