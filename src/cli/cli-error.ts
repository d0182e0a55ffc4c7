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
