/** A DynamoDB attribute value in wire form ({"S": "..."}, {"N": "..."}, {"M": {...}}, ...). */
export type AttributeValue = Record<string, unknown>;

/** A DynamoDB item in wire form. */
export type Item = Record<string, AttributeValue>;

/** Size of an item in bytes as DynamoDB counts it for capacity (docs/aws-facts.md B 1.20). */
export function itemSizeBytes(item: Item): number {
  // for...in, not Object.entries: every request the local cloud charges and every item the planner prices comes here.
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name) + valueSizeBytes(item[name] as AttributeValue);
  return size;
}

/** Size of one attribute value without its name (B 1.20). */
export function valueSizeBytes(value: AttributeValue): number {
  // A value has one key, its type; none counts as NULL.
  for (const type in value) return typedValueSizeBytes(type, value[type]);
  return 1;
}

function typedValueSizeBytes(type: string, content: unknown): number {
  switch (type) {
    case 'S':
      return Buffer.byteLength(content as string);
    case 'N':
      return numberSizeBytes(content as string);
    case 'B':
      // Binary arrives base64-encoded on the wire; the raw bytes count (B 1.20).
      return Buffer.from(content as string, 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, s) => sum + Buffer.byteLength(s), 0);
    case 'NS':
      return (content as string[]).reduce((sum, n) => sum + numberSizeBytes(n), 0);
    case 'BS':
      return (content as string[]).reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
    case 'L': {
      const elements = content as AttributeValue[];
      return 3 + elements.reduce((sum, element) => sum + 1 + valueSizeBytes(element), 0);
    }
    case 'M': {
      const map = content as Item;
      let size = 3;
      for (const name in map) size += 1 + Buffer.byteLength(name) + valueSizeBytes(map[name] as AttributeValue);
      return size;
    }
    default:
      return 0;
  }
}

/** Numbers: about one byte per two significant digits, plus one (B 1.20). */
function numberSizeBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}
