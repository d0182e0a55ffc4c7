/** One `techmoda` sub-command. */
export interface Command {
  readonly name: string;
  /** One line for `techmoda --help`. */
  readonly summary: string;
  /** Full help text for `techmoda NAME --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}
