import { type CollectionTag, parse, type ScalarTag } from 'yaml';

/**
 * CloudFormation templates in YAML, with the short-form tags (`!Ref`, `!Sub`, `!GetAtt` ...) turned into the long
 * forms as SAM CLI's reader does (B 10 / A7): `!Ref` becomes `{Ref}`, `!Condition` `{Condition}`, every other
 * `!Name` `{"Fn::Name": value}`; `!GetAtt A.B.C` splits at the first dot into `["A", "B.C"]`. YAML 1.2's core
 * schema keeps `2010-09-09` a string. JSON is YAML, so one reader serves `.json` too (strict JSON takes the fast path).
 */
const functionNames = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ToJsonString',
  'Length',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot === -1 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const tags: (ScalarTag | CollectionTag)[] = ['Ref', 'Condition', ...functionNames].flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => longForm(name, value) } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (seq: { toJSON(): unknown }) => longForm(name, seq.toJSON()) } as unknown as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (map: { toJSON(): unknown }) => longForm(name, map.toJSON()) } as unknown as CollectionTag,
]);

/** Parses a template's text (YAML or JSON) into plain JSON values; throws with the parser's message. */
export function parseCfnTemplate(text: string): unknown {
  // JSON (every synthesized CDK template) first: JSON.parse reads 70 KB in under a millisecond, the YAML parser in ~100.
  if (text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch {
      // Not strict JSON (YAML's flow style also starts with a brace): the YAML parser decides, and words the error.
    }
  }
  return parse(text, { customTags: tags, schema: 'core', uniqueKeys: true, maxAliasCount: 100 });
}
