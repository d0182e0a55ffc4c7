/** One `techmoda` sub-command, as its module exports it. */
export interface Command {
  /** Full help text for `techmoda NAME --help`. */
  readonly usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

/**
 * A command as `techmoda --help` lists it. Its module, and everything it imports, loads only when the command
 * runs: `techmoda local` does not load the planner, the load generator or the template review at start.
 */
export interface CommandEntry {
  readonly name: string;
  /** One line for `techmoda --help`. */
  readonly summary: string;
  /**
   * Whether the command, with these arguments (after its name), hosts the local cloud in its process: then it runs
   * with glibc's malloc tuned (malloc-tuning.ts) and paces its heap once the cloud starts (heap-pacing.ts).
   */
  readonly hostsLocalCloud?: (args: readonly string[]) => boolean;
  load(): Promise<Command>;
}
