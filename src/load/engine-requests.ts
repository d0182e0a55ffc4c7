import type { LoadCheck } from './load-checks.ts';
import type { LoadProfile, RequestKind } from './load-profile.ts';

/** What a script for another engine is written from. */
export interface EngineScriptRequest {
  readonly profile: LoadProfile;
  /** The --profile argument as given, for the read-back command the script's header shows. */
  readonly profileSource: string;
  readonly target: EngineTarget;
  readonly checks: readonly LoadCheck[];
  readonly timeoutMs: number;
}

/**
 * What another engine's script needs to send the profile's requests: the stage's base path, and the product ids
 * the target already holds (known when the target answered a listing at emit time). Without ids, a get or an update
 * lists first and uses the first product: two requests where the profile counts one.
 */
export interface EngineTarget {
  readonly origin: string;
  readonly basePath: string;
  readonly productIds: readonly string[];
  /** Where the script's writes get their token, when the stage's writes need one. */
  readonly tokenClient?: EngineTokenClient | undefined;
}

/**
 * The token endpoint and machine client an emitted script asks for its access token (client credentials, Basic
 * auth). The secret is never written into a script: the script reads it from {@link clientSecretVariable} when it runs.
 */
export interface EngineTokenClient {
  readonly tokenUrl: string;
  readonly clientId: string;
}

/** The environment variable that holds the machine client's secret, for `techmoda load` and the scripts it emits. */
export const clientSecretVariable = 'TECHMODA_CLIENT_SECRET';

/** How many requests one arrival of `kind` sends in an emitted script. */
export function requestsPerArrival(kind: RequestKind, target: EngineTarget): number {
  if (kind === 'update') return 2; // read the version, then write with If-Match, as a client would
  if (kind === 'delete') return 2; // create a product of its own, then delete it
  if (kind === 'get') return target.productIds.length > 0 ? 1 : 2;
  return 1;
}

/** A valid product for a create or an update, as the API's schema asks. */
export const productTemplate = (name: string) => ({
  name,
  description: 'Created by an emitted techmoda load script.',
  category: 'tops',
  price: { amountMinor: 4990, currency: 'EUR' },
  sizes: ['S', 'M', 'L'],
  colors: ['black'],
  stock: 100,
});
