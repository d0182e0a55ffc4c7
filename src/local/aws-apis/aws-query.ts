import { XMLBuilder } from 'fast-xml-parser';

/**
 * AWS's query protocol (what the AWS CLI v2 of Debian sends to CloudWatch): a form body with `Action=` and
 * flattened members (`Dimensions.member.1.Name=...`), answered in XML. Both directions convert to and from the same
 * shapes as JSON 1.0, so the operations are written once for both protocols.
 */

/** A query request: the operation and its input, nested as JSON 1.0 would carry it (values still strings). */
export interface QueryRequest {
  readonly action: string;
  readonly input: Record<string, unknown>;
}

/** Decodes a form body: `A.member.2.B=x` becomes `{A: [<1>, {B: 'x'}]}`, `M.entry.1.key/value` a map. */
export function decodeQuery(body: string): QueryRequest {
  const input: Record<string, unknown> = {};
  let action = '';
  for (const [key, value] of new URLSearchParams(body)) {
    if (key === 'Action') action = value;
    else if (key !== 'Version') assign(input, key.split('.'), value);
  }
  return { action, input: mapsToObjects(input) as Record<string, unknown> };
}

type Container = Record<string | number, unknown>;

function assign(root: Container, path: readonly string[], value: string): void {
  // `member.N` and `entry.N` index a list (a map is a list of key/value entries until mapsToObjects).
  const keys: (string | number)[] = [];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i] as string;
    const index = path[i + 1] ?? '';
    if ((segment === 'member' || segment === 'entry') && /^\d+$/.test(index)) {
      keys.push(Number(index) - 1);
      i += 1;
    } else keys.push(segment);
  }
  let node = root;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) node[key] = value;
    else {
      node[key] ??= typeof keys[i + 1] === 'number' ? [] : {};
      node = node[key] as Container;
    }
  });
}

/** Lists of `{key, value}` entries become objects; holes from sparse indexes are dropped. */
function mapsToObjects(node: unknown): unknown {
  if (Array.isArray(node)) {
    const items = node.filter((item) => item !== undefined).map(mapsToObjects);
    const isMap = items.length > 0 && items.every((item) => typeof item === 'object' && item !== null && 'key' in item && 'value' in item);
    return isMap ? Object.fromEntries(items.map((item) => [(item as { key: string }).key, (item as { value: unknown }).value])) : items;
  }
  if (typeof node === 'object' && node !== null)
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, mapsToObjects(value)]));
  return node;
}

const builder = new XMLBuilder({ ignoreAttributes: false, suppressEmptyNode: false });

/**
 * An operation's output as the query protocol's XML: lists as `<member>`, maps (`Map`) as `<entry><key/><value/>`,
 * timestamps (`Date`) as ISO 8601. `namespace` is the service's XML namespace.
 */
export function encodeQueryResponse(action: string, output: Record<string, unknown>, namespace: string, requestId: string): string {
  const result = Object.keys(output).length === 0 ? {} : { [`${action}Result`]: toXmlTree(output) };
  return builder.build({
    [`${action}Response`]: { '@_xmlns': namespace, ...result, ResponseMetadata: { RequestId: requestId } },
  }) as string;
}

/** The query protocol's error document. */
export function encodeQueryError(code: string, message: string, namespace: string, requestId: string): string {
  return builder.build({
    ErrorResponse: { '@_xmlns': namespace, Error: { Type: 'Sender', Code: code, Message: message }, RequestId: requestId },
  }) as string;
}

function toXmlTree(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return { entry: [...value].map(([key, v]) => ({ key, value: toXmlTree(v) })) };
  if (Array.isArray(value)) return value.length === 0 ? '' : { member: value.map(toXmlTree) };
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => [key, toXmlTree(v)]),
    );
  return String(value);
}

/** The same output as JSON 1.0 carries it: timestamps as epoch seconds, maps as objects. */
export function toJsonShape(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, v]) => [key, toJsonShape(v)]));
  if (Array.isArray(value)) return value.map(toJsonShape);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([key, v]) => [key, toJsonShape(v)]),
    );
  return value;
}
