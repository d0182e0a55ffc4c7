import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LocalUserPool, LocalUserPoolClient } from '../../scaling/stack-model.ts';
import { type PoolIdentity, poolIdentities } from './pool-keys.ts';

/** A user pool as the local cloud runs it: the template's pool with its id, issuer, clients' credentials and keys. */
export interface RunningPool {
  readonly pool: LocalUserPool;
  readonly identity: PoolIdentity;
}

/** The answer of the token endpoint: 200 with a token, or 400 with an OAuth error (docs/aws-facts.md B 11.4). */
export type TokenAnswer =
  | { readonly status: 200; readonly body: { access_token: string; token_type: 'Bearer'; expires_in: number } }
  | { readonly status: 400; readonly body: { error: string } };

/**
 * The template's Cognito user pools, emulated for what the stack uses: the client-credentials grant of
 * `/oauth2/token`, access tokens signed RS256 with a `kid`, the JWKS, and (for tests) ID tokens.
 */
export class LocalUserPools {
  /** Where the API port listens (set once it does): tokens' issuers and the token URL are under it. */
  origin = 'http://127.0.0.1';

  private constructor(
    readonly pools: readonly RunningPool[],
    private readonly nowMs: () => number,
  ) {}

  /** `iss` of a pool's tokens: `<origin>/<poolId>`, where its JWKS is served (as AWS serves it under its issuer). */
  issuer(pool: RunningPool): string {
    return `${this.origin}/${pool.identity.poolId}`;
  }

  static async start(options: {
    pools: readonly LocalUserPool[];
    region: string;
    dataDir: string | undefined;
    nowMs: () => number;
  }): Promise<LocalUserPools> {
    const identities = await poolIdentities(options.pools, options.region, options.dataDir);
    const running = options.pools.map((pool) => ({ pool, identity: identities.get(pool.logicalId) as PoolIdentity }));
    return new LocalUserPools(running, options.nowMs);
  }

  /** The pool of a template logical id. */
  byLogicalId(logicalId: string): RunningPool | undefined {
    return this.pools.find((p) => p.pool.logicalId === logicalId);
  }

  /** The pool a client id belongs to, and the client. */
  private clientOf(clientId: string): { pool: RunningPool; client: LocalUserPoolClient } | undefined {
    for (const pool of this.pools)
      for (const client of pool.pool.clients) if (pool.identity.clients[client.logicalId]?.clientId === clientId) return { pool, client };
    return undefined;
  }

  /** `POST /oauth2/token`: client credentials from Basic auth (or the body), `grant_type`, optional `scope`. */
  async token(authorization: string | undefined, form: URLSearchParams): Promise<TokenAnswer> {
    const refuse = (error: string): TokenAnswer => ({ status: 400, body: { error } });
    const grant = form.get('grant_type');
    if (!grant) return refuse('invalid_request');
    const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1] as string, 'base64')
          .toString('utf8')
          .split(':', 2)
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    const found = id ? this.clientOf(id) : undefined;
    if (!found) return refuse('invalid_client');
    const { pool, client } = found;
    const expected = pool.identity.clients[client.logicalId]?.clientSecret;
    if (expected === undefined || expected !== secret) return refuse('invalid_client');
    if (grant !== 'client_credentials') return refuse('unsupported_grant_type');
    if (!client.clientCredentials) return refuse('unauthorized_client');
    const asked = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    // No scope asked: every custom scope of the client (B 11.4). One it does not hold: invalid_scope.
    if (asked.some((s) => !client.scopes.includes(s))) return refuse('invalid_scope');
    const scopes = asked.length > 0 ? asked : client.scopes;
    const expiresIn = client.accessTokenValiditySeconds;
    const accessToken = await this.sign(
      pool,
      'access',
      {
        sub: id,
        client_id: id,
        token_use: 'access',
        scope: scopes.join(' '),
        auth_time: Math.floor(this.nowMs() / 1000),
        version: 2,
        jti: randomUUID(),
      },
      expiresIn,
    );
    return { status: 200, body: { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn } };
  }

  /** An ID token of `pool` for a user (tests: the authorizer must refuse it where scopes ask for an access token). */
  idToken(pool: RunningPool, claims: Record<string, unknown>, expiresInSeconds = 3600): Promise<string> {
    const audience = Object.values(pool.identity.clients)[0]?.clientId ?? 'local';
    return this.sign(pool, 'id', { sub: randomUUID(), aud: audience, token_use: 'id', ...claims }, expiresInSeconds);
  }

  /** Signs claims with the pool's access or ID key; `exp` is `expiresInSeconds` from now (negative: already expired). */
  sign(pool: RunningPool, key: 'access' | 'id', claims: Record<string, unknown>, expiresInSeconds: number): Promise<string> {
    const signing = key === 'access' ? pool.identity.accessKey : pool.identity.idKey;
    const nowSeconds = Math.floor(this.nowMs() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: signing.kid })
      .setIssuer(this.issuer(pool))
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + expiresInSeconds)
      .sign(signing.privateKey);
  }

  /** The pool's JWKS: its access-token and ID-token keys. */
  jwks(pool: RunningPool): { keys: object[] } {
    return { keys: [pool.identity.accessKey.publicJwk, pool.identity.idKey.publicJwk] };
  }
}
