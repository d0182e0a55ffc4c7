import type { Command } from './command.ts';

/** Every `techmoda` command, in the order `--help` lists them. */
export const commands: readonly Command[] = [];
