import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackModel, TemplateError } from './template-reader.ts';

function templateFile(resources: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'template-')), 'Stack.template.json');
  writeFileSync(path, JSON.stringify({ Resources: resources }));
  return path;
}

const alarm = (properties: Record<string, unknown>) => ({
  Type: 'AWS::CloudWatch::Alarm',
  Properties: {
    Namespace: 'AWS/DynamoDB',
    MetricName: 'ReadThrottleEvents',
    Statistic: 'Sum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ...properties,
  },
});

describe('template reader', () => {
  it('reads an alarm with CloudWatch vocabulary', () => {
    const model = readStackModel(
      templateFile({ Throttles: alarm({ ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' }) }),
    );
    expect(model.alarms[0]).toMatchObject({
      alarmName: 'Throttles',
      comparison: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    });
  });

  it('refuses at load time what it could not evaluate, naming the resource and the property', () => {
    expect(() => readStackModel(templateFile({ Throttles: alarm({ ComparisonOperator: 'Bigger' }) }))).toThrow(
      /resource Throttles: property ComparisonOperator/,
    );
    expect(() =>
      readStackModel(templateFile({ Throttles: alarm({ ComparisonOperator: 'GreaterThanThreshold', Period: 'soon' }) })),
    ).toThrow(TemplateError);
    const table = { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'PRIMARY' }] } };
    expect(() => readStackModel(templateFile({ Products: table }))).toThrow(/resource Products: property KeySchema\.0\.KeyType/);
  });

  it('refuses a file that is not a template', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'template-')), 'x.json');
    writeFileSync(path, '{"Resources": 3}');
    expect(() => readStackModel(path)).toThrow(TemplateError);
  });

  it('refuses a function in a language other than Node.js, naming it and its runtime', () => {
    const python = { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'python3.12', Handler: 'app.handler', Code: { ZipFile: 'x' } } };
    expect(() => readStackModel(templateFile({ Fn: python }))).toThrow(
      'function Fn runs python3.12; the local cloud runs Node.js functions only (nodejsNN.x)',
    );
  });
});
