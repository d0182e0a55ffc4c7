import { UsageError } from '../common/usage-error.ts';
import { localClientCredentials, requestToken, TokenError } from '../load/token-source.ts';
import { exitCodes } from './cli-error.ts';
import type { Command } from './command.ts';
import { parseOptions } from './option-values.ts';

const usage = `Usage: techmoda token --api URL [--scope SCOPE]

Prints a back-office access token for the local cloud's stage at URL (the "API" line techmoda local printed) on
stdout and nothing else: the machine client's client-credentials grant at the local /oauth2/token. Writes take it
in the Authorization header:

  curl -X POST -H "Authorization: $(npx techmoda token --api http://127.0.0.1:3000/prod)" ...

Options:
  --api URL       the stage URL of a running techmoda local (required)
  --scope SCOPE   the scope to ask for (default: all the client's scopes, products/write)
  -h, --help      this help

Exit codes: 0 a token printed, 2 usage error, 3 no local cloud at URL, or it refused.`;

/** `techmoda token`: a token from the local cloud's user pool, for curl and scripts. */
export const tokenCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, { api: { type: 'string' }, scope: { type: 'string' } });
    if (!values.api) throw new UsageError('--api is required: the stage URL techmoda local printed, e.g. http://127.0.0.1:3000/prod');
    let origin: string;
    try {
      origin = new URL(values.api).origin;
    } catch {
      throw new UsageError(`--api must be a URL such as http://127.0.0.1:3000/prod, got "${values.api}"`);
    }
    const credentials = await localClientCredentials(origin, values.scope);
    if (!credentials) {
      console.error(`techmoda token: no local cloud with a client-credentials client answers at ${origin}/_local/user-pools`);
      return exitCodes.unreachable;
    }
    try {
      process.stdout.write(`${(await requestToken(credentials)).accessToken}\n`);
      return exitCodes.ok;
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      console.error(`techmoda token: ${error.message}`);
      return exitCodes.unreachable;
    }
  },
};
