import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backOfficeToken } from './support/back-office-token.ts';
import { exitCode, runCli, startCli } from './support/cli-process.ts';
import { eventually } from './support/eventually.ts';

// The lab's own SAM template, fixed, on the local cloud at time scale 60 (a virtual minute per real second).
let origin = '';
let api = '';
// The fixed template's writes need products/write: the back office's token.
let backOffice: Record<string, string> = {};
let stop: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const { child, lines } = await startCli(
    ['local', '--template', 'examples/lab-sam/template.fixed.yaml', '--stack-name', 'lab', '--port', '0', '--time-scale', '60'],
    /Ctrl-C stops/,
  );
  stop = () => {
    child.kill('SIGTERM');
    return exitCode(child);
  };
  api = (lines.find((l) => l.startsWith('API ')) as string).slice('API '.length);
  origin = new URL(api).origin;
  backOffice = { authorization: await backOfficeToken(api) };
}, 60_000);
afterAll(() => stop());

describe("the lab's SAM template on the local cloud", () => {
  it('answers at /Prod/products as SAM deploys it: a product created is listed', async () => {
    expect(api).toMatch(/\/Prod$/);
    const created = await fetch(`${api}/products`, {
      method: 'POST',
      headers: backOffice,
      body: JSON.stringify({ name: 'scarf', price: 12 }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const listed = (await (await fetch(`${api}/products?limit=100`)).json()) as { items: { id: string }[] };
    expect(listed.items.map((p) => p.id)).toContain(id);
    expect((await fetch(`${api}/products`, { method: 'POST', headers: backOffice, body: 'not json' })).status).toBe(400);
  });

  it('enforces reserved concurrency: past it, API Gateway answers 500', async () => {
    const concurrency = `${origin}/2017-10-31/functions/GetProductsFunction/concurrency`;
    expect((await fetch(concurrency, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 1 }) })).status).toBe(200);
    try {
      const statuses = await Promise.all(Array.from({ length: 30 }, () => fetch(`${api}/products?limit=1`).then((r) => r.status)));
      expect(statuses.filter((s) => s === 500).length).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    } finally {
      await fetch(concurrency, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 100 }) });
    }
  });

  it('scales the table out under a burst of writes (target tracking at 70% of 25 write units)', async () => {
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await Promise.all(
          Array.from({ length: 10 }, () =>
            fetch(`${api}/products`, { method: 'POST', headers: backOffice, body: JSON.stringify({ name: 'coat', price: 90 }) }),
          ),
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      const activity = await eventually(async () => {
        const { events } = (await (await fetch(`${origin}/_local/events`)).json()) as {
          events: { type: string; activity?: { scalableDimension: string; fromCapacity: number; toCapacity: number; cause: string } }[];
        };
        return events.find((e) => e.type === 'scaling' && e.activity?.scalableDimension === 'dynamodb:table:WriteCapacityUnits')?.activity;
      });
      expect(activity.toCapacity).toBeGreaterThan(activity.fromCapacity);
      expect(activity.cause).toContain('triggered policy WriteAutoScalingPolicy');
    } finally {
      writing = false;
      await writer;
    }
  });
});

describe("the lab's SAM template as written", () => {
  it("is refused with SAM's own error, exit 2, by techmoda local", async () => {
    const { code, stderr } = await runCli(['local', '--template', 'examples/lab-sam/template.yaml', '--port', '0']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'techmoda local: Transform AWS::Serverless-2016-10-31 failed with: Invalid Serverless Application Specification document. Number of errors found: 1. Resource with id [CreateProductFunction] is invalid. To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function',
    );
  });
});

describe('handlers outside this project', () => {
  it('import the AWS SDK v3 without bundling it, as in Lambda: ESM and CommonJS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sam-sdk-'));
    writeFileSync(
      join(dir, 'tables.mjs'),
      "import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';\nconst client = new DynamoDBClient({});\nexport const handler = async () => ({ statusCode: 200, body: JSON.stringify((await client.send(new ListTablesCommand({}))).TableNames) });\n",
    );
    writeFileSync(
      join(dir, 'count.cjs'),
      "const { DynamoDBClient, DescribeTableCommand } = require('@aws-sdk/client-dynamodb');\nconst client = new DynamoDBClient({});\nexports.handler = async () => ({ statusCode: 200, body: JSON.stringify((await client.send(new DescribeTableCommand({ TableName: process.env.TABLE }))).Table.TableName) });\n",
    );
    const events = (path: string) => `      Events:\n        E:\n          Type: Api\n          Properties: {Path: ${path}, Method: get}\n`;
    writeFileSync(
      join(dir, 'template.yaml'),
      `Transform: AWS::Serverless-2016-10-31\nResources:\n  Tables:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: tables.handler\n      Runtime: nodejs22.x\n${events('/tables')}  Count:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: count.handler\n      Runtime: nodejs22.x\n      Environment:\n        Variables:\n          TABLE: !Ref Things\n${events('/count')}  Things:\n    Type: AWS::Serverless::SimpleTable\n`,
    );
    const { child, lines } = await startCli(
      ['local', '--template', join(dir, 'template.yaml'), '--stack-name', 'outside', '--port', '0'],
      /Ctrl-C stops/,
    );
    try {
      const stage = (lines.find((l) => l.startsWith('API ')) as string).slice('API '.length);
      const tables = await fetch(`${stage}/tables`);
      expect([tables.status, await tables.json()]).toEqual([200, ['outside-Things']]);
      const count = await fetch(`${stage}/count`);
      expect([count.status, await count.json()]).toEqual([200, 'outside-Things']);
    } finally {
      child.kill('SIGTERM');
      await exitCode(child);
    }
  }, 60_000);
});
