import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStackModel } from '../template-reader.ts';
import { parseCfnTemplate } from './cfn-yaml.ts';
import { expandSam } from './sam-transform.ts';

/** A SAM template in a directory with a handler at src/app.js; returns the template's path. */
function samProject(resources: string, globals = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'sam-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'app.js'), 'exports.handler = async () => ({ statusCode: 200, body: "{}" });\n');
  writeFileSync(join(dir, 'package.json'), '{"type": "commonjs"}\n');
  const path = join(dir, 'template.yaml');
  writeFileSync(path, `Transform: AWS::Serverless-2016-10-31\n${globals}Resources:\n${resources}`);
  return path;
}

const fn = (properties: string) =>
  `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: src/app.handler\n      Runtime: nodejs22.x\n${properties}`;
const getEvent = '      Events:\n        Get:\n          Type: Api\n          Properties: {Path: /items, Method: get}\n';

describe('CloudFormation YAML', () => {
  it('turns short forms into long ones as SAM CLI does; !GetAtt splits at the first dot; dates stay strings', () => {
    expect(
      parseCfnTemplate(
        `V: 2010-09-09\nA: !Sub "\${AWS::StackName}-x"\nB: !GetAtt A.B.C\nC: !Join [",", [!Ref X]]\nD: !Sub\n  - "\${y}"\n  - y: !Ref Y\n`,
      ),
    ).toEqual({
      V: '2010-09-09',
      A: { 'Fn::Sub': `\${AWS::StackName}-x` },
      B: { 'Fn::GetAtt': ['A', 'B.C'] },
      C: { 'Fn::Join': [',', [{ Ref: 'X' }]] },
      D: { 'Fn::Sub': [`\${y}`, { y: { Ref: 'Y' } }] },
    });
  });
});

describe('SAM templates in the local cloud (docs/sam.md)', () => {
  it('runs a function of the implicit API at /Prod, with Globals merged and the stack name resolved', () => {
    const model = readStackModel(
      samProject(
        `${fn(`      Environment:\n        Variables:\n          OWN: yes\n${getEvent}`)}  T:\n    Type: AWS::Serverless::SimpleTable\n`,
        'Globals:\n  Function:\n    MemorySize: 256\n    Environment:\n      Variables:\n        TABLE: !Ref T\n',
      ),
      { stackName: 'shop' },
    );
    expect(model.api).toMatchObject({
      name: 'shop',
      stageName: 'Prod',
      routes: [{ resourcePath: '/items', method: 'GET', qualifier: undefined }],
    });
    const [only] = model.functions;
    expect(only).toMatchObject({
      logicalId: 'Fn',
      memoryMb: 256,
      handlerModule: 'src/app',
      handlerExport: 'handler',
      environment: { TABLE: 'shop-T', OWN: 'yes' },
    });
    expect(only?.name).toMatch(/^shop-Fn-[0-9A-Z]{12}$/);
    expect(model.tables).toMatchObject([
      { tableName: 'shop-T', billingMode: 'PAY_PER_REQUEST', keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
    ]);
  });

  it('names the resource and the property of what it cannot run: code, properties, references, intrinsics', () => {
    const refused = (path: string) => {
      try {
        readStackModel(path);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused(samProject(fn('      CodeUri: missing/\n')))).toMatch(/function Fn: CodeUri directory .*missing does not exist/);
    expect(refused(samProject(fn('').replace('src/app.handler', 'src/nope.handler')))).toMatch(
      /function Fn: Handler src\/nope\.handler names src\/nope\.js\|\.mjs\|\.cjs in .*, which does not exist/,
    );
    expect(refused(samProject(fn('      Layers: [arn:aws:lambda:us-east-1:1:layer:x:1]\n')))).toContain(
      'Resource with id [Fn] is invalid. property Layers not defined for resource of type AWS::Serverless::Function',
    );
    expect(refused(samProject(fn(getEvent.replace('Method: get}', 'Method: get, RestApiId: Nope}'))))).toContain(
      "Event with id [Get] is invalid. RestApiId must be a valid reference to an 'AWS::Serverless::Api' resource in same template.",
    );
    expect(refused(samProject(fn('      ProvisionedConcurrencyConfig: {ProvisionedConcurrentExecutions: 1}\n')))).toContain(
      'Resource with id [Fn] is invalid. To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function',
    );
    expect(
      refused(
        samProject(
          `${fn('')}  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: !Sub "\${Nowhere}-x"\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n`,
        ),
      ),
    ).toMatch(/T\.TableName/);
    expect(refused(samProject(fn(''), 'Globals:\n  Function:\n    Events: {}\n'))).toContain(
      "'Globals' section is invalid. 'Events' is not a supported property of 'Function'.",
    );
    expect(refused(samProject(`  Q:\n    Type: AWS::Serverless::StateMachine\n    Properties: {}\n`))).toContain(
      'Resource type AWS::Serverless::StateMachine is not supported by techmoda local',
    );
  });

  it("prefers sam build's output, and bundles a TypeScript handler with esbuild when Metadata asks", () => {
    const built = samProject(fn(''));
    const buildDir = join(built, '..', '.aws-sam', 'build', 'Fn');
    mkdirSync(buildDir, { recursive: true });
    writeFileSync(join(buildDir, 'app.js'), 'exports.handler = async () => ({ statusCode: 204 });\n');
    expect(readStackModel(built).functions[0]).toMatchObject({ codeDir: buildDir, handlerModule: 'app', handlerExport: 'handler' });

    const typed = samProject(`${fn('').replace('src/app.handler', 'src/typed.handler')}    Metadata:\n      BuildMethod: esbuild\n`);
    writeFileSync(
      join(typed, '..', 'src', 'typed.ts'),
      'export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 200 });\n',
    );
    const [bundled] = readStackModel(typed).functions;
    expect(bundled).toMatchObject({ handlerModule: 'typed', handlerExport: 'handler' });
    expect(readFileSync(join(bundled?.codeDir as string, 'typed.js'), 'utf8')).toContain('statusCode');
  });

  it('refuses a duplicate route as SAM does', () => {
    const template = parseCfnTemplate(
      `Transform: AWS::Serverless-2016-10-31\nResources:\n${fn(`${getEvent}        Again:\n          Type: Api\n          Properties: {Path: /items, Method: GET}\n`)}`,
    ) as Record<string, unknown>;
    expect(() => expandSam(template)).toThrow(
      'Resource with id [ServerlessRestApi] is invalid. API method "get" defined multiple times for path "/items".',
    );
  });
});
