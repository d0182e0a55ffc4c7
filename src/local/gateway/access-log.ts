import { createWriteStream, type WriteStream } from 'node:fs';

/** What one request gives the access log's `$context` variables (docs/aws-facts.md B 6.12). */
export interface AccessLogContext {
  readonly requestId: string;
  readonly sourceIp: string;
  readonly requestTimeMs: number;
  readonly httpMethod: string;
  readonly resourcePath: string | undefined;
  readonly path: string;
  readonly protocol: string;
  readonly status: number;
  readonly responseLength: number;
  readonly responseLatencyMs: number;
  readonly integrationLatencyMs: number | undefined;
  readonly stage: string;
  readonly apiId: string;
  readonly errorMessage: string | undefined;
}

/** CDK's `AccessLogFormat.jsonWithStandardFields()`, the format our stack writes (and `techmoda profile` reads). */
export const standardAccessLogFormat =
  '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.identity.user","caller":"$context.identity.caller","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength"}';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `$context.requestTime`: the common log format's time, `dd/MMM/yyyy:HH:mm:ss +0000` (UTC here). */
export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The value of each `$context` variable the local gateway knows; API Gateway writes `-` for one without a value. */
function variables(c: AccessLogContext): Record<string, string | number | undefined> {
  return {
    requestId: c.requestId,
    extendedRequestId: c.requestId,
    'identity.sourceIp': c.sourceIp,
    'identity.caller': undefined,
    'identity.user': undefined,
    'identity.userAgent': undefined,
    requestTime: clfTime(c.requestTimeMs),
    requestTimeEpoch: c.requestTimeMs,
    httpMethod: c.httpMethod,
    resourcePath: c.resourcePath,
    path: c.path,
    protocol: c.protocol,
    status: c.status,
    responseLength: c.responseLength,
    responseLatency: c.responseLatencyMs,
    integrationLatency: c.integrationLatencyMs,
    'integration.latency': c.integrationLatencyMs,
    stage: c.stage,
    apiId: c.apiId,
    'error.message': c.errorMessage,
  };
}

/**
 * One access-log line in the stage's `AccessLogSetting.Format`: every `$context.name` replaced by its value, or `-`
 * when the request has none (as API Gateway does); a format cannot hold line breaks, so neither does the line.
 */
export function accessLogLine(format: string, context: AccessLogContext): string {
  const values = variables(context);
  return format.replace(/\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])/g, (_, name: string) => {
    const value = values[name];
    return value === undefined ? '-' : String(value).replace(/[\r\n]/g, ' ');
  });
}

/** Appends access-log lines to a file, one per request (`techmoda local --access-log FILE`). */
export class AccessLogFile {
  private readonly stream: WriteStream;

  constructor(
    path: string,
    private readonly format: string,
  ) {
    this.stream = createWriteStream(path, { flags: 'a' });
  }

  write(context: AccessLogContext): void {
    this.stream.write(`${accessLogLine(this.format, context)}\n`);
  }

  /** Resolves once every line is on disk. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
}

/**
 * The last requests' access-log contexts, for the dashboard's event log: a fixed ring, so a sale's traffic costs one
 * slot per request and nothing grows; lines are formatted only when someone reads them.
 */
export class RecentAccess {
  private readonly ring: (AccessLogContext | undefined)[];
  private written = 0;

  constructor(
    readonly format: string,
    capacity = 200,
  ) {
    this.ring = new Array(capacity);
  }

  record(context: AccessLogContext): void {
    this.ring[this.written % this.ring.length] = context;
    this.written += 1;
  }

  /** How many requests were recorded so far. */
  get count(): number {
    return this.written;
  }

  /** The lines of requests after the first `since`, at most `limit` (the newest), and how many were left out. */
  linesSince(since: number, limit: number): { lines: string[]; omitted: number } {
    const from = Math.max(since, this.written - Math.min(limit, this.ring.length));
    const lines: string[] = [];
    for (let i = from; i < this.written; i++) lines.push(accessLogLine(this.format, this.ring[i % this.ring.length] as AccessLogContext));
    return { lines, omitted: Math.max(0, from - since) };
  }
}
