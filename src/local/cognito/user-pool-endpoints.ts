import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SideRoute } from '../gateway/side-route.ts';
import type { LocalUserPools } from './local-user-pools.ts';

/**
 * The user pools' HTTP endpoints on the API port: `POST /oauth2/token` (the hosted domain's token endpoint),
 * `GET /<poolId>/.well-known/jwks.json` and `/openid-configuration` under each issuer, `GET /.well-known/jwks.json`
 * (every pool's keys), and `GET /_local/user-pools`: ids, token URL and the clients' secrets, which AWS shows to
 * whoever may call `DescribeUserPoolClient` and the local cloud shows to whoever reaches 127.0.0.1.
 */
export function userPoolEndpoints(pools: LocalUserPools): SideRoute {
  return async (request, response, url) => {
    const origin = pools.origin;
    const route = `${request.method} ${url.pathname}`;
    if (route === 'POST /oauth2/token') {
      const answer = await pools.token(request.headers.authorization, new URLSearchParams(await readText(request)));
      send(response, answer.status, answer.body);
      return true;
    }
    if (route === 'GET /.well-known/jwks.json') {
      send(response, 200, { keys: pools.pools.flatMap((p) => pools.jwks(p).keys) });
      return true;
    }
    if (route === 'GET /_local/user-pools') {
      send(response, 200, { tokenUrl: `${origin}/oauth2/token`, userPools: describe(pools) });
      return true;
    }
    for (const pool of pools.pools) {
      const issuer = pools.issuer(pool);
      const prefix = `/${pool.identity.poolId}/.well-known/`;
      if (request.method !== 'GET' || !url.pathname.startsWith(prefix)) continue;
      const file = url.pathname.slice(prefix.length);
      if (file === 'jwks.json') send(response, 200, pools.jwks(pool));
      else if (file === 'openid-configuration')
        send(response, 200, {
          issuer,
          jwks_uri: `${issuer}/.well-known/jwks.json`,
          token_endpoint: `${origin}/oauth2/token`,
          grant_types_supported: ['client_credentials'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      else continue;
      return true;
    }
    return false;
  };
}

/** Body of `GET /_local/user-pools`. */
export type UserPoolsResponse = { tokenUrl: string; userPools: ReturnType<typeof describe> };

function describe(pools: LocalUserPools) {
  return pools.pools.map(({ pool, identity }) => ({
    logicalId: pool.logicalId,
    name: pool.name,
    userPoolId: identity.poolId,
    issuer: `${pools.origin}/${identity.poolId}`,
    scopes: pool.scopes,
    clients: pool.clients.map((c) => ({
      logicalId: c.logicalId,
      name: c.name,
      clientId: identity.clients[c.logicalId]?.clientId,
      clientSecret: identity.clients[c.logicalId]?.clientSecret,
      clientCredentials: c.clientCredentials,
      scopes: c.scopes,
      accessTokenValiditySeconds: c.accessTokenValiditySeconds,
    })),
  }));
}

async function readText(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 64 * 1024) break;
  }
  return text;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  // The token endpoint sends Access-Control-Allow-Origin: * (B 11.4).
  response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  response.end(JSON.stringify(body));
}
