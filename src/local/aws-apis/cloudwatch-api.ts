import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SideRoute } from '../gateway/side-route.ts';
import { decodeQuery, encodeQueryError, encodeQueryResponse, toJsonShape } from './aws-query.ts';
import { readBody } from './aws-wire.ts';
import { CloudWatchApiError, type CloudWatchOperation } from './cloudwatch-operations.ts';

const xmlNamespace = 'http://monitoring.amazonaws.com/doc/2010-08-01/';
const jsonTargetPrefix = 'GraniteServiceVersion20100801.';

/** The JSON 1.0 error shape of each query error code (the query code travels in `x-amzn-query-error`). */
const jsonErrorShapes: Record<string, string> = {
  InvalidParameterValue: 'InvalidParameterValueException',
  InvalidParameterCombination: 'InvalidParameterCombinationException',
  MissingParameter: 'MissingRequiredParameterException',
  InvalidNextToken: 'InvalidNextToken',
  InvalidFormat: 'InvalidFormatFault',
  ResourceNotFound: 'ResourceNotFound',
};

/**
 * CloudWatch's API on the local cloud's port, in both protocols the AWS CLI and SDKs send (B 3, B 4): the query
 * protocol (a form with `Action=`, answered in XML; what Debian's AWS CLI v2 sends), told apart by the SigV4
 * credential scope `monitoring` (or by its Action when unsigned), and JSON 1.0 (`X-Amz-Target:
 * GraniteServiceVersion20100801.<Op>`; newer botocore and the JavaScript SDK v3). Unknown operations answer 400,
 * never a 5xx, which clients would retry.
 */
export function cloudWatchApi(operations: Record<string, CloudWatchOperation>): SideRoute {
  return async (request, response, url) => {
    if (request.method !== 'POST' || url.pathname !== '/') return false;
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string' && target.startsWith(jsonTargetPrefix)) {
      await serveJson(operations, target.slice(jsonTargetPrefix.length), request, response);
      return true;
    }
    if (!isCloudWatchQuery(request)) return false;
    await serveQuery(operations, request, response);
    return true;
  };
}

/** A form POST signed for `monitoring`, or unsigned (`--no-sign-request`: CloudWatch is the only query service here). */
function isCloudWatchQuery(request: IncomingMessage): boolean {
  if (!(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return false;
  const authorization = request.headers.authorization;
  if (authorization === undefined) return true;
  return /Credential=[^/]+\/\d{8}\/[^/]+\/monitoring\/aws4_request/.test(authorization);
}

async function serveJson(
  operations: Record<string, CloudWatchOperation>,
  name: string,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const requestId = randomUUID();
  response.setHeader('x-amzn-requestid', requestId);
  response.setHeader('content-type', 'application/x-amz-json-1.0');
  const operation = operations[name];
  try {
    if (!operation) throw new CloudWatchApiError('UnknownOperationException', `The local cloud does not emulate CloudWatch's ${name}.`);
    const body = await readBody(request);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body);
    } catch {
      throw new CloudWatchApiError('SerializationException', 'The request body is not JSON.');
    }
    response.statusCode = 200;
    response.end(JSON.stringify(toJsonShape(operation(input))));
  } catch (error) {
    if (!(error instanceof CloudWatchApiError)) throw error;
    response.statusCode = error.status;
    response.setHeader('x-amzn-query-error', `${error.code};Sender`);
    response.end(
      JSON.stringify({ __type: `com.amazonaws.cloudwatch#${jsonErrorShapes[error.code] ?? error.code}`, message: error.message }),
    );
  }
}

async function serveQuery(operations: Record<string, CloudWatchOperation>, request: IncomingMessage, response: ServerResponse) {
  const requestId = randomUUID();
  response.setHeader('x-amzn-requestid', requestId);
  response.setHeader('content-type', 'text/xml');
  const { action, input } = decodeQuery(await readBody(request));
  try {
    const operation = operations[action];
    if (!operation) throw new CloudWatchApiError('InvalidAction', `The action ${action || '(none)'} is not valid for this web service.`);
    const output = operation(input);
    response.statusCode = 200;
    response.end(encodeQueryResponse(action, output, xmlNamespace, requestId));
  } catch (error) {
    if (!(error instanceof CloudWatchApiError)) throw error;
    response.statusCode = error.status;
    response.end(encodeQueryError(error.code, error.message, xmlNamespace, requestId));
  }
}
