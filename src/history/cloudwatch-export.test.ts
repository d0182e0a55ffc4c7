import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handStack } from '../plan/plan-fixtures.test-support.ts';
import { countsFromCloudWatch } from './cloudwatch-counts.ts';
import { readCloudWatchExports } from './cloudwatch-export.ts';

const dir = mkdtempSync(join(tmpdir(), 'cloudwatch-'));
const file = (name: string, document: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof document === 'string' ? document : JSON.stringify(document));
  return path;
};
const minute = (i: number) => new Date(Date.UTC(2026, 10, 27, 8, i)).toISOString().replace('.000Z', '+00:00');
const page = (label: string, minutes: number[], values: number[], id = 'm0') => ({
  MetricDataResults: [{ Id: id, Label: label, Timestamps: minutes.map(minute), Values: values, StatusCode: 'Complete' }],
  Messages: [],
});

describe('reading CloudWatch exports', () => {
  it('joins get-metric-data pages given newest first into one series, oldest first, with its period', () => {
    const [series] = readCloudWatchExports([
      file('p1.json', { ...page('Count GET /products', [3, 2], [30, 20]), NextToken: 'x' }),
      file('p2.json', page('Count GET /products', [1, 0], [10, 0])),
    ]);
    expect(series?.metricName).toBe('Count');
    expect(series?.subject).toBe('GET /products');
    expect(series?.periodSeconds).toBe(60);
    expect(series?.points.map((p) => p.value)).toEqual([0, 10, 20, 30]);
  });

  it('reads get-metric-statistics Sums, and refuses another unit naming the datapoint', () => {
    const stats = (unit: string) => ({
      Label: 'Count POST /products',
      Datapoints: [
        { Timestamp: minute(1), Sum: 5, Unit: 'Count' },
        { Timestamp: minute(0), Sum: 4, Unit: unit },
      ],
    });
    expect(readCloudWatchExports([file('s.json', stats('Count'))])[0]?.points).toEqual([
      { timeMs: Date.parse(minute(0)), value: 4 },
      { timeMs: Date.parse(minute(1)), value: 5 },
    ]);
    expect(() => readCloudWatchExports([file('ms.json', stats('Milliseconds'))])).toThrow(/ms\.json Datapoints\[1\]: Unit Milliseconds/);
  });

  it('refuses timestamps out of order, a timestamp twice across pages, a label that names no route, truncated JSON', () => {
    expect(() => readCloudWatchExports([file('order.json', page('Count GET /products', [0, 2, 1], [1, 2, 3]))])).toThrow(
      /order\.json MetricDataResults\[0\] \(Id m0\) Timestamps\[2\]: timestamps out of order or duplicated/,
    );
    expect(() =>
      readCloudWatchExports([
        file('d1.json', page('Count GET /products', [1, 0], [1, 2])),
        file('d2.json', page('Count GET /products', [1], [1])),
      ]),
    ).toThrow(/d2\.json MetricDataResults\[0\] \(Id m0\) Timestamps\[0\]: timestamp .* appears twice/);
    expect(() => readCloudWatchExports([file('label.json', page('Latency GET /products', [0], [1]))])).toThrow(
      /label\.json MetricDataResults\[0\] \(Id m0\): label "Latency GET \/products": Latency is not a count/,
    );
    expect(() => readCloudWatchExports([file('cut.json', '{"MetricDataResults": [{"Id": "m0", "Lab')])).toThrow(
      /cut\.json at character \d+: truncated or malformed JSON/,
    );
  });

  it('maps Lambda Invocations to routes through the template, split evenly where a function serves two', () => {
    const model = handStack({ autoScaling: true });
    const series = readCloudWatchExports([
      file('inv.json', {
        MetricDataResults: [{ Id: 'a', Label: 'Invocations GetProducts', Timestamps: [minute(0)], Values: [100], StatusCode: 'Complete' }],
      }),
    ]);
    const { counts, notes } = countsFromCloudWatch(series, model);
    // GetProducts serves GET /products and GET /products/{id}: half each.
    expect(Object.fromEntries(counts.totals())).toEqual({ list: 50, get: 50 });
    expect(notes.join(' ')).toMatch(/GetProducts serves GET \/products, GET \/products\/\{id\}: .* split evenly/);
    expect(() => countsFromCloudWatch(series, undefined)).toThrow(/give --template T/);
  });

  it('refuses series exported with different periods', () => {
    expect(() =>
      countsFromCloudWatch(
        readCloudWatchExports([
          file('m.json', page('Count GET /products', [2, 1, 0], [1, 1, 1])),
          file('s.json', {
            MetricDataResults: [
              {
                Id: 'b',
                Label: 'Count POST /products',
                Timestamps: [0, 1].map((s) => new Date(Date.UTC(2026, 10, 27, 8, 0, s)).toISOString()),
                Values: [1, 1],
                StatusCode: 'Complete',
              },
            ],
          }),
        ]),
        undefined,
      ),
    ).toThrow(/export every series with one --period/);
  });
});
