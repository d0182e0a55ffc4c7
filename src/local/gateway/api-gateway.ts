import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../common/clock.ts';
import { ApiGatewayThrottle, type GatewayThrottleLimit } from '../../scaling/api-gateway-throttle.ts';
import type { LocalApi } from '../../scaling/stack-model.ts';
import type { InvocationOutcome, LambdaRuntime } from '../lambda/lambda-runtime.ts';
import type { AccessLogContext } from './access-log.ts';
import type { CognitoAuthorizer } from './cognito-authorizer.ts';
import { buildProxyEvent } from './proxy-event.ts';
import { RouteTable } from './route-table.ts';
import type { SideRoute } from './side-route.ts';

/** API Gateway's REST limits the gateway enforces (docs/aws-facts.md B 6.7, 6.9). */
export const restApiLimits = { payloadBytes: 10 * 1024 * 1024, integrationTimeoutMs: 29_000 } as const;

/** Why the gateway answered as it did; the control plane counts these. */
export type GatewayOutcome =
  | 'integration'
  | 'gateway-throttled'
  | 'lambda-throttled'
  | 'function-error'
  | 'bad-response'
  | 'integration-timeout'
  | 'no-route'
  | 'unauthorized'
  | 'too-large';

/** What the gateway reports per request. */
export interface GatewayObserver {
  completed(event: {
    method: string;
    resourcePath: string | undefined;
    statusCode: number;
    outcome: GatewayOutcome;
    throttleLimit?: GatewayThrottleLimit;
    latencyMs: number;
    integrationLatencyMs: number | undefined;
    atMs: number;
  }): void;
}

/** Options of {@link ApiGateway}. */
export interface ApiGatewayOptions {
  readonly api: LocalApi;
  readonly runtime: LambdaRuntime;
  readonly clock: Clock;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default 3000; 0 picks a free port */
  readonly port?: number;
  readonly observer?: GatewayObserver;
  readonly sideRoutes?: readonly SideRoute[];
  /** Told of every request the stage answered, for its access log. */
  readonly accessLog?: ((context: AccessLogContext) => void) | undefined;
  /** @default 29,000 ms (B 6.7) */
  readonly integrationTimeoutMs?: number;
  /** Checks the methods' Cognito authorizers; a template with authorized methods needs one. */
  readonly authorizer?: CognitoAuthorizer | undefined;
}

// API Gateway's default gateway-response bodies (docs/aws-facts.md Part A; B 5.18, 6.6, 6.8).
const answers = {
  missingToken: { statusCode: 403, body: { message: 'Missing Authentication Token' }, errorType: 'MissingAuthenticationTokenException' },
  throttled: { statusCode: 429, body: { message: 'Too Many Requests' } },
  internal: { statusCode: 500, body: { message: 'Internal server error' } },
  badGateway: { statusCode: 502, body: { message: 'Internal server error' } },
  timeout: { statusCode: 504, body: { message: 'Endpoint request timed out' } },
  tooLarge: { statusCode: 413, body: { message: 'Request Too Long' } },
} as const;

/** The gateway's own answer, or the function's proxy result, and how the request ended (for the observer). */
type GatewayResult =
  | {
      readonly outcome: Exclude<GatewayOutcome, 'integration'>;
      readonly answer: GatewayAnswer;
      readonly proxyResult?: undefined;
      readonly throttleLimit?: GatewayThrottleLimit;
      readonly integrationLatencyMs?: number;
    }
  | {
      readonly outcome: 'integration';
      readonly proxyResult: ProxyResult;
      readonly throttleLimit?: undefined;
      readonly integrationLatencyMs: number;
    };

/** A request that matched a route of the stage. */
interface MatchedRequest {
  readonly method: string;
  /** The path within the stage. */
  readonly path: string;
  readonly url: URL;
  readonly match: NonNullable<ReturnType<RouteTable['match']>>;
  readonly requestId: string;
}

type GatewayAnswer = { readonly statusCode: number; readonly body: unknown; readonly errorType?: string };
type ProxyResult = NonNullable<ReturnType<typeof toProxyResult>>;

/** The REST API stage on a real HTTP server: routing, throttling, proxy events, the gateway's own answers. */
export class ApiGateway {
  private server: Server | undefined;
  private readonly routes: RouteTable;
  private readonly throttle: ApiGatewayThrottle;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: ApiGatewayOptions) {
    this.routes = new RouteTable(options.api.routes);
    this.throttle = new ApiGatewayThrottle({ stageDefault: options.api.defaultThrottle, startMs: options.clock.nowMs() });
  }

  /** Listens; resolves to the server's base URL (without the stage). */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const handling = this.handle(request, response).catch(() => {
        if (!response.headersSent) this.send(response, answers.internal, randomUUID());
        else response.destroy();
      });
      this.inFlight.add(handling);
      void handling.finally(() => this.inFlight.delete(handling)); // handling has caught its own errors
    });
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 3000, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  /** Stops accepting requests and lets in-flight ones finish. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    await Promise.allSettled([...this.inFlight]);
    server.closeAllConnections();
    await closed;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedMs = this.options.clock.nowMs();
    const requestId = randomUUID();
    const url = new URL(request.url ?? '/', 'http://local');
    for (const side of this.options.sideRoutes ?? []) if (await side(request, response, url)) return;
    const method = (request.method ?? 'GET').toUpperCase();
    const stagePrefix = `/${this.options.api.stageName}`;
    const inStage = url.pathname === stagePrefix || url.pathname.startsWith(`${stagePrefix}/`);
    const path = inStage ? url.pathname.slice(stagePrefix.length) || '/' : url.pathname;
    const match = inStage ? this.routes.match(method, path) : undefined;
    const result = match ? await this.answer(request, { method, path, url, match, requestId }) : this.noRoute(request);
    let responseLength: number;
    if (result.proxyResult) {
      const { statusCode, headers, body } = result.proxyResult;
      response.writeHead(statusCode, { 'content-type': 'application/json', ...headers, 'x-amzn-requestid': requestId });
      response.end(body);
      responseLength = Buffer.byteLength(body ?? '');
    } else responseLength = this.send(response, result.answer, requestId);
    const statusCode = result.proxyResult ? result.proxyResult.statusCode : result.answer.statusCode;
    this.options.accessLog?.({
      requestId,
      sourceIp: request.socket.remoteAddress ?? '-',
      requestTimeMs: startedMs,
      httpMethod: method,
      resourcePath: match?.route.resourcePath,
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      status: statusCode,
      responseLength,
      responseLatencyMs: Math.round(this.options.clock.nowMs() - startedMs),
      integrationLatencyMs: result.integrationLatencyMs === undefined ? undefined : Math.round(result.integrationLatencyMs),
      stage: this.options.api.stageName,
      apiId: this.options.api.name,
      errorMessage: result.proxyResult ? undefined : (result.answer.body as { message?: string } | undefined)?.message,
    });
    this.options.observer?.completed({
      method,
      resourcePath: match?.route.resourcePath,
      statusCode,
      outcome: result.outcome,
      throttleLimit: result.throttleLimit,
      latencyMs: this.options.clock.nowMs() - startedMs,
      integrationLatencyMs: result.integrationLatencyMs,
      atMs: this.options.clock.nowMs(),
    });
  }

  /** No resource or method matches: API Gateway's 403 (the body is not read). */
  private noRoute(request: IncomingMessage): GatewayResult {
    request.resume();
    return { outcome: 'no-route', answer: answers.missingToken };
  }

  /** A matched request through the gateway's checks (payload size, throttling) and the Lambda proxy integration. */
  private async answer(request: IncomingMessage, matched: MatchedRequest): Promise<GatewayResult> {
    const { method, path, url, match, requestId } = matched;
    const body = await readBody(request, restApiLimits.payloadBytes);
    if (!body) return { outcome: 'too-large', answer: answers.tooLarge };
    const throttleLimit = this.throttle.admit(`${method} ${match.route.resourcePath}`, this.options.clock.nowMs());
    if (throttleLimit) return { outcome: 'gateway-throttled', answer: answers.throttled, throttleLimit };
    let claims: Record<string, string> | undefined;
    if (match.route.authorization) {
      // A refused call reaches no function (B 11.1).
      const verdict = await this.authorizer().authorize(match.route.authorization, request.headers);
      if ('refusal' in verdict) return { outcome: 'unauthorized', answer: verdict.refusal };
      claims = verdict.claims;
    }
    const event = buildProxyEvent({
      method,
      path,
      resourcePath: match.route.resourcePath,
      pathParameters: match.pathParameters,
      url,
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      body,
      stage: this.options.api.stageName,
      requestId,
      sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
      nowMs: this.options.clock.nowMs(),
      claims,
    });
    const integrationStarted = this.options.clock.nowMs();
    const outcome = await this.invokeWithTimeout(match.route.functionName, match.route.qualifier, event);
    const integrationLatencyMs = this.options.clock.nowMs() - integrationStarted;
    if (outcome === 'integration-timeout') return { outcome: 'integration-timeout', answer: answers.timeout, integrationLatencyMs };
    // Lambda refused the invoke: API Gateway answers 500, not 429 (B 5.18).
    if (outcome.kind === 'throttled') return { outcome: 'lambda-throttled', answer: answers.internal, integrationLatencyMs };
    if (outcome.kind !== 'result') return { outcome: 'function-error', answer: answers.badGateway, integrationLatencyMs };
    const proxyResult = toProxyResult(outcome.value);
    if (!proxyResult) return { outcome: 'bad-response', answer: answers.badGateway, integrationLatencyMs };
    return { outcome: 'integration', proxyResult, integrationLatencyMs };
  }

  private authorizer(): CognitoAuthorizer {
    if (!this.options.authorizer) throw new Error('a method has a Cognito authorizer but the gateway has no user pools');
    return this.options.authorizer;
  }

  private invokeWithTimeout(
    functionName: string,
    qualifier: string | undefined,
    event: unknown,
  ): Promise<InvocationOutcome | 'integration-timeout'> {
    const timeoutMs = this.options.integrationTimeoutMs ?? restApiLimits.integrationTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'integration-timeout'>((resolve) => {
      timer = setTimeout(() => resolve('integration-timeout'), timeoutMs);
    });
    return Promise.race([this.options.runtime.invoke(functionName, qualifier, event), timeout]).finally(() => clearTimeout(timer));
  }

  /** Writes one of the gateway's own answers; returns the body's length in bytes. */
  private send(response: ServerResponse, answer: GatewayAnswer, requestId: string): number {
    response.writeHead(answer.statusCode, {
      'content-type': 'application/json',
      'x-amzn-requestid': requestId,
      ...(answer.errorType && { 'x-amzn-errortype': answer.errorType }),
    });
    const body = JSON.stringify(answer.body);
    response.end(body);
    return Buffer.byteLength(body);
  }
}

/** Reads the body, or undefined past `limitBytes` (413). */
async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | undefined> {
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      request.resume();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Validates a Lambda proxy result; undefined when malformed (API Gateway answers 502). */
function toProxyResult(value: unknown): { statusCode: number; headers: Record<string, string | string[]>; body: Buffer } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const result = value as Record<string, unknown>;
  const statusCode = result.statusCode;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) return undefined;
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries((result.headers as Record<string, unknown>) ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof v)) return undefined;
    headers[name.toLowerCase()] = String(v);
  }
  for (const [name, values] of Object.entries((result.multiValueHeaders as Record<string, unknown>) ?? {})) {
    if (!Array.isArray(values)) return undefined;
    headers[name.toLowerCase()] = values.map(String);
  }
  const text = (result.body as string | undefined) ?? '';
  return { statusCode, headers, body: result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text) };
}
