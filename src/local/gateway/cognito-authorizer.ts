import { createLocalJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import type { RouteAuthorization } from '../../scaling/stack-model.ts';

/** The user pools a method's authorizer names, as the gateway needs them (local/cognito's LocalUserPools). */
export interface TokenIssuers<Pool = unknown> {
  byLogicalId(logicalId: string): Pool | undefined;
  /** The `iss` its tokens carry. */
  issuer(pool: Pool): string;
  /** Its public keys, as its JWKS URL serves them. */
  jwks(pool: Pool): { keys: object[] };
}

/** How the gateway answers a valid access token that holds none of the method's scopes (docs/aws-facts.md B 11.3). */
export type ScopeMissAnswer = 401 | 403;

/** A gateway refusal: status, body and `x-amzn-ErrorType`, as API Gateway's default gateway responses give them. */
export interface Refusal {
  readonly statusCode: number;
  readonly body: { readonly message: string };
  readonly errorType: string;
  /** Why, for the dashboard and tests; API Gateway tells the caller only the body. */
  readonly reason: 'no-token' | 'invalid-token' | 'expired' | 'wrong-token-use' | 'missing-scope';
}

const unauthorized = (reason: Refusal['reason'], message = 'Unauthorized'): Refusal => ({
  statusCode: 401,
  body: { message },
  errorType: 'UnauthorizedException',
  reason,
});

/** The claims as API Gateway hands them to the function: a flat map, every value a string (B 11.8). */
export type AuthorizerClaims = Record<string, string>;

/**
 * The `COGNITO_USER_POOLS` authorizer: the token from the identity header (raw, or after `Bearer `), its RS256
 * signature against the pool's JWKS (`kid`), `exp`, `iss`, then `token_use` and the method's scopes: with scopes an
 * access token holding any one of them, without scopes an ID token (B 11.1-12.3). Verification is jose's.
 */
export class CognitoAuthorizer {
  private readonly keySets = new Map<string, ReturnType<typeof createLocalJWKSet>>();

  constructor(
    private readonly pools: TokenIssuers,
    private readonly scopeMiss: ScopeMissAnswer = 401,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** The verified claims, or the refusal. */
  async authorize(
    authorization: RouteAuthorization,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<{ claims: AuthorizerClaims } | { refusal: Refusal }> {
    const raw = headers[authorization.header];
    const value = (Array.isArray(raw) ? raw[0] : raw) ?? '';
    if (value.trim() === '') return { refusal: unauthorized('no-token') };
    const token = value.replace(/^Bearer /, '');
    let payload: JWTPayload | undefined;
    let expired = false;
    for (const logicalId of authorization.userPools) {
      const pool = this.pools.byLogicalId(logicalId);
      if (!pool) continue;
      try {
        ({ payload } = await jwtVerify(token, this.keySet(logicalId), {
          issuer: this.pools.issuer(pool),
          algorithms: ['RS256'],
          currentDate: new Date(this.nowMs()),
        }));
        break;
      } catch (error) {
        if (error instanceof errors.JWTExpired) expired = true;
      }
    }
    if (!payload) return { refusal: expired ? unauthorized('expired', 'The incoming token has expired') : unauthorized('invalid-token') };
    const wanted = authorization.scopes.length > 0 ? 'access' : 'id';
    if (payload.token_use !== wanted) return { refusal: unauthorized('wrong-token-use') };
    if (wanted === 'access') {
      const held = String(payload.scope ?? '').split(' ');
      if (!authorization.scopes.some((s) => held.includes(s)))
        return {
          refusal:
            this.scopeMiss === 403
              ? { statusCode: 403, body: { message: 'Forbidden' }, errorType: 'AccessDeniedException', reason: 'missing-scope' }
              : unauthorized('missing-scope'),
        };
    }
    return { claims: Object.fromEntries(Object.entries(payload).map(([k, v]) => [k, stringClaim(v)])) };
  }

  private keySet(logicalId: string): ReturnType<typeof createLocalJWKSet> {
    let set = this.keySets.get(logicalId);
    if (!set) {
      const pool = this.pools.byLogicalId(logicalId);
      set = createLocalJWKSet(pool ? (this.pools.jwks(pool) as Parameters<typeof createLocalJWKSet>[0]) : { keys: [] });
      this.keySets.set(logicalId, set);
    }
    return set;
  }
}

function stringClaim(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
