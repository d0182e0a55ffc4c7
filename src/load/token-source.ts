import { request } from 'undici';
import { AppError } from '../common/app-error.ts';

/** A client-credentials client of a Cognito user pool (the back office). */
export interface ClientCredentials {
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Space-separated scopes to ask for; all the client's when absent. */
  readonly scope?: string | undefined;
}

/** The token endpoint refused or did not answer. */
export class TokenError extends AppError {
  constructor(message: string) {
    super('TOKEN_REFUSED', message);
  }
}

/** Asks the token endpoint for an access token (client credentials, Basic auth; docs/aws-facts.md B 11.4). */
export async function requestToken(credentials: ClientCredentials): Promise<{ accessToken: string; expiresInSeconds: number }> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...(credentials.scope && { scope: credentials.scope }) });
  let response: Awaited<ReturnType<typeof request>>;
  try {
    response = await request(credentials.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch (error) {
    throw new TokenError(`cannot reach the token endpoint ${credentials.tokenUrl}: ${(error as Error).message}`);
  }
  const text = await response.body.text();
  const body = safeJson(text) as { access_token?: unknown; expires_in?: unknown; error?: unknown } | undefined;
  if (response.statusCode !== 200 || typeof body?.access_token !== 'string')
    throw new TokenError(
      `the token endpoint ${credentials.tokenUrl} answered ${response.statusCode}: ${body?.error ?? text.slice(0, 200)}`,
    );
  return { accessToken: body.access_token, expiresInSeconds: Number(body.expires_in ?? 3600) };
}

/**
 * The machine client the local cloud at `origin` made for its user pool (`GET /_local/user-pools`), or undefined when
 * the target is not a local cloud or has no client-credentials client.
 */
export async function localClientCredentials(origin: string, scope?: string): Promise<ClientCredentials | undefined> {
  try {
    const response = await request(`${origin}/_local/user-pools`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
    const body = safeJson(await response.body.text()) as
      | { tokenUrl: string; userPools: { clients: { clientId: string; clientSecret?: string; clientCredentials: boolean }[] }[] }
      | undefined;
    if (response.statusCode !== 200 || !body?.userPools) return undefined;
    const client = body.userPools.flatMap((p) => p.clients).find((c) => c.clientCredentials && c.clientSecret);
    return client ? { tokenUrl: body.tokenUrl, clientId: client.clientId, clientSecret: client.clientSecret as string, scope } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a valid access token: one request at start, and a new one a minute before the current expires (a client
 * reuses its token until it expires, as Cognito's pricing assumes; docs/planner.md).
 */
export class TokenSource {
  private timer: NodeJS.Timeout | undefined;
  /** Token requests made, for the planner's price of them. */
  requests = 0;

  constructor(private readonly credentials: ClientCredentials) {}

  /** Fetches the first token; later ones come by themselves until {@link stop}. */
  async start(onToken: (token: string) => void): Promise<void> {
    const refresh = async () => {
      const { accessToken, expiresInSeconds } = await requestToken(this.credentials);
      this.requests += 1;
      onToken(accessToken);
      this.timer = setTimeout(() => void refresh().catch(() => this.retrySoon(refresh)), Math.max(5, expiresInSeconds - 60) * 1000);
      this.timer.unref();
    };
    await refresh();
  }

  private retrySoon(refresh: () => Promise<void>): void {
    this.timer = setTimeout(() => void refresh().catch(() => this.retrySoon(refresh)), 5_000);
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
