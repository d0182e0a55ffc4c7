import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessLogLine, clfTime, standardAccessLogFormat } from '../local/gateway/access-log.ts';
import { parseClfTime, readAccessLogs } from './access-logs.ts';

const dir = mkdtempSync(join(tmpdir(), 'access-logs-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const t0 = Date.UTC(2026, 10, 27, 8, 0, 0);
const line = (atMs: number, httpMethod: string, resourcePath: string | undefined, format = standardAccessLogFormat) =>
  accessLogLine(format, {
    requestId: 'r',
    sourceIp: '127.0.0.1',
    requestTimeMs: atMs,
    httpMethod,
    resourcePath,
    path: '/prod/products',
    protocol: 'HTTP/1.1',
    status: 200,
    responseLength: 10,
    responseLatencyMs: 5,
    integrationLatencyMs: 4,
    stage: 'prod',
    apiId: 'abc',
    errorMessage: undefined,
  });

describe('reading access logs', () => {
  it('parses $context.requestTime in the common log format, offsets included', () => {
    expect(parseClfTime(clfTime(t0 + 9_000))).toBe(t0 + 9_000);
    expect(parseClfTime('27/Nov/2026:09:00:00 +0100')).toBe(t0);
    expect(parseClfTime('2026-11-27T08:00:00Z')).toBeNaN();
  });

  it('counts the stack format’s lines per second and kind, and reports routes the API does not have', async () => {
    const lines = [
      line(t0, 'GET', '/products'),
      line(t0 + 200, 'GET', '/products/{id}'),
      line(t0 + 999, 'GET', '/products/{id}'),
      line(t0 + 1_000, 'POST', '/products'),
      line(t0 + 1_500, 'DELETE', '/products/{id}'),
      line(t0 + 1_600, 'GET', undefined),
      line(t0 + 1_700, 'GET', '/admin'),
    ];
    const counts = await readAccessLogs([file('a.log', `${lines.join('\n')}\n`)]);
    expect(counts.stepMs).toBe(1_000);
    expect(Object.fromEntries(counts.byStep.get(t0) ?? [])).toEqual({ list: 1, get: 2 });
    expect(Object.fromEntries(counts.byStep.get(t0 + 1_000) ?? [])).toEqual({ create: 1, delete: 1 });
    expect(Object.fromEntries(counts.unknownRoutes)).toEqual({ 'GET (no route)': 1, 'GET /admin': 1 });
  });

  it('reads aws logs filter-log-events output, and several files into one count', async () => {
    const events = {
      events: [
        { logStreamName: 's', timestamp: t0 + 10, message: line(t0, 'GET', '/products') },
        { logStreamName: 's', timestamp: t0 + 20, message: line(t0, 'PUT', '/products/{id}') },
      ],
      searchedLogStreams: [],
    };
    const counts = await readAccessLogs([
      file('events.json', `${JSON.stringify(events, null, 2)}\n`),
      file('more.log', line(t0 + 500, 'GET', '/products')),
    ]);
    expect(Object.fromEntries(counts.byStep.get(t0) ?? [])).toEqual({ list: 2, update: 1 });
  });

  it('refuses bad input with the file and the position: truncated, not JSON, no route fields, stages mixed', async () => {
    const good = line(t0, 'GET', '/products');
    await expect(readAccessLogs([file('cut.log', `${good}\n${good.slice(0, 40)}`)])).rejects.toThrow(/cut\.log line 2: truncated JSON/);
    await expect(readAccessLogs([file('bad.log', `${good}\nhello\n${good}\n`)])).rejects.toThrow(/bad\.log line 2: not JSON/);
    await expect(readAccessLogs([file('fields.log', '{"requestTime":"27/Nov/2026:08:00:00 +0000"}\n')])).rejects.toThrow(
      /fields\.log line 1: no httpMethod and resourcePath/,
    );
    const staged =
      '{"stage":"$context.stage","requestTimeEpoch":"$context.requestTimeEpoch","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath"}';
    const other = line(t0, 'GET', '/products', staged).replace('"prod"', '"dev"');
    await expect(readAccessLogs([file('mixed.log', `${line(t0, 'GET', '/products', staged)}\n${other}\n`)])).rejects.toThrow(
      /mixed\.log line 2: stage dev mixed with stage prod \(.*mixed\.log line 1\)/,
    );
    await expect(readAccessLogs([file('cut.json', '{"events": [{"message": "{}"')])).rejects.toThrow(
      /cut\.json.*truncated or malformed JSON/,
    );
    await expect(readAccessLogs([join(dir, 'absent.log')])).rejects.toThrow(/absent\.log: no such file/);
  });
});
