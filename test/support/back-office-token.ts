import { localClientCredentials, requestToken } from '../../src/load/token-source.ts';

/** A back-office access token from the local cloud serving `apiUrl`, as `techmoda token` gets it. */
export async function backOfficeToken(apiUrl: string, scope?: string): Promise<string> {
  const credentials = await localClientCredentials(new URL(apiUrl).origin, scope);
  if (!credentials) throw new Error(`no local user pool at ${apiUrl}`);
  return (await requestToken(credentials)).accessToken;
}
