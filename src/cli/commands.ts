import type { Command } from './command.ts';
import { labCommand } from './lab-command.ts';
import { loadCommand } from './load-command.ts';
import { localCommand } from './local-command.ts';
import { planCommand } from './plan-command.ts';
import { reviewCommand } from './review-command.ts';

/** Every `techmoda` command, in the order `--help` lists them. */
export const commands: readonly Command[] = [localCommand, loadCommand, labCommand, planCommand, reviewCommand];
