import { describe, expect, it } from 'vitest';
import { type IntrinsicContext, resolveIntrinsics, UnresolvableTemplateValueError } from './intrinsics.ts';

const context: IntrinsicContext = {
  ref: (name) => ({ 'AWS::Region': 'us-east-1', Table: 'stack-Table', Fn: 'Fn' })[name],
  getAtt: (id, attribute) => (id === 'Fn' && attribute === 'Arn' ? 'arn:aws:lambda:us-east-1:0:function:Fn' : undefined),
};

describe('intrinsic functions', () => {
  it('resolves Ref, GetAtt (both forms), Join, Sub (with variables and attributes), Select and Split', () => {
    expect(resolveIntrinsics({ Ref: 'Table' }, context)).toBe('stack-Table');
    expect(resolveIntrinsics({ 'Fn::GetAtt': 'Fn.Arn' }, context)).toBe('arn:aws:lambda:us-east-1:0:function:Fn');
    expect(resolveIntrinsics({ 'Fn::Join': ['/', ['table', { Ref: 'Table' }]] }, context)).toBe('table/stack-Table');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub syntax, not a JS template.
    expect(resolveIntrinsics({ 'Fn::Sub': ['${Fn.Arn}:${Alias}@${AWS::Region}', { Alias: 'live' }] }, context)).toBe(
      'arn:aws:lambda:us-east-1:0:function:Fn:live@us-east-1',
    );
    expect(resolveIntrinsics({ 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Fn', 'Arn'] }] }] }, context)).toBe('aws');
    expect(resolveIntrinsics({ nested: [{ Ref: 'Fn' }] }, context)).toEqual({ nested: ['Fn'] });
  });

  it('names the value it cannot resolve', () => {
    expect(() => resolveIntrinsics({ Ref: 'Missing' }, context, 'Fn.Environment')).toThrow(UnresolvableTemplateValueError);
    expect(() => resolveIntrinsics({ 'Fn::If': ['c', 1, 2] }, context, 'X.Y')).toThrow(
      /Cannot resolve X.Y locally: Fn::If is not supported/,
    );
  });
});
