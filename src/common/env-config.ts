import { AppError } from './app-error.ts';

/** Raised at start-up when required environment variables are absent; names every one of them. */
export class MissingConfigError extends AppError {
  constructor(readonly names: readonly string[]) {
    super('MISSING_CONFIGURATION', `Missing required environment variables: ${names.join(', ')}`);
  }
}

/**
 * Reads the named variables from `env` at once, so one error lists every missing name instead of the first.
 * Empty strings count as missing.
 */
export function readRequiredEnv<const Name extends string>(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly Name[],
): Record<Name, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) throw new MissingConfigError(missing);
  return Object.fromEntries(names.map((name) => [name, env[name] as string])) as Record<Name, string>;
}
