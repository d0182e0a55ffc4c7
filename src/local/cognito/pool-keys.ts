import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

/** A signing key: the private half signs, the public half is in the JWKS. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: Awaited<ReturnType<typeof importJWK>>;
  readonly publicJwk: JWK;
}

/** What a pool keeps across restarts with `--data`: ids, client secrets and keys (a token stays valid after a restart). */
export interface PoolIdentity {
  readonly poolId: string;
  /** Client id and secret by client logical id. */
  readonly clients: Record<string, { clientId: string; clientSecret: string | undefined }>;
  /** Cognito signs access and ID tokens with different keys (docs/aws-facts.md B 11.6). */
  readonly accessKey: SigningKey;
  readonly idKey: SigningKey;
}

interface StoredIdentity {
  poolId: string;
  clients: PoolIdentity['clients'];
  accessKey: { kid: string; jwk: JWK };
  idKey: { kid: string; jwk: JWK };
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (length: number, chars = alphabet) => Array.from(randomBytes(length), (b) => chars[b % chars.length]).join('');

/** The file under `dataDir` that keeps the pools' identities. */
export const identityFile = (dataDir: string) => join(dataDir, 'techmoda-user-pools.json');

/**
 * Each pool's id, client credentials and RS256 keys: read from `dataDir` when it holds them for the same pools and
 * clients, else made now (and written there, when given).
 */
export async function poolIdentities(
  pools: readonly { logicalId: string; clients: readonly { logicalId: string; generateSecret: boolean }[] }[],
  region: string,
  dataDir: string | undefined,
): Promise<Map<string, PoolIdentity>> {
  const stored: Record<string, StoredIdentity> =
    dataDir && existsSync(identityFile(dataDir)) ? JSON.parse(readFileSync(identityFile(dataDir), 'utf8')) : {};
  const identities = new Map<string, PoolIdentity>();
  const toStore: Record<string, StoredIdentity> = {};
  for (const pool of pools) {
    const kept = stored[pool.logicalId];
    const same = kept && pool.clients.every((c) => kept.clients[c.logicalId]);
    const record: StoredIdentity = same
      ? kept
      : {
          poolId: `${region}_${randomText(9, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
          clients: Object.fromEntries(
            pool.clients.map((c) => [
              c.logicalId,
              { clientId: randomText(26), clientSecret: c.generateSecret ? randomText(51) : undefined },
            ]),
          ),
          accessKey: await newKey(),
          idKey: await newKey(),
        };
    toStore[pool.logicalId] = record;
    identities.set(pool.logicalId, {
      poolId: record.poolId,
      clients: record.clients,
      accessKey: await signingKey(record.accessKey),
      idKey: await signingKey(record.idKey),
    });
  }
  if (dataDir) writeFileSync(identityFile(dataDir), `${JSON.stringify(toStore, null, 2)}\n`, { mode: 0o600 });
  return identities;
}

async function newKey(): Promise<{ kid: string; jwk: JWK }> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  return { kid: randomBytes(24).toString('base64'), jwk: await exportJWK(privateKey) };
}

async function signingKey(stored: { kid: string; jwk: JWK }): Promise<SigningKey> {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = stored.jwk;
  return {
    kid: stored.kid,
    privateKey: await importJWK(stored.jwk, 'RS256'),
    publicJwk: { ...publicPart, kid: stored.kid, alg: 'RS256', use: 'sig' },
  };
}
