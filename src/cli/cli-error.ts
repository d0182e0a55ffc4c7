import { AppError } from '../common/app-error.ts';

/** Process exit codes of `techmoda`, stable for scripts. */
export const exitCodes = {
  ok: 0,
  /** A check failed (for example `techmoda load --check`). */
  checkFailed: 1,
  /** Bad options, an unreadable file: the command did not run. */
  usage: 2,
  /** The target could not be reached. */
  unreachable: 3,
} as const;

/** A problem with how the command was called; printed as one line, exit code 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
