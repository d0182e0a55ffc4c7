import { describe, expect, it } from 'vitest';
import { accessLogLine, clfTime, standardAccessLogFormat } from './access-log.ts';

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
