import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../common/app-error.ts';
import { exitCodes } from './cli-error.ts';
import type { CommandEntry } from './command.ts';
import { commands } from './commands.ts';

/** `techmoda --help`: every command with its summary. */
export function helpText(list: readonly CommandEntry[] = commands): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'Usage: techmoda <command> [options]',
    '',
    'TechModa product API tools: run the stack locally with AWS limits, load it, read what to change.',
    '',
    'Commands:',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "techmoda <command> --help" for the options of a command.',
  ].join('\n');
}

/**
 * A closed stdout or stderr (a pipe whose reader has gone, as in `techmoda local | head`) drops the output instead
 * of killing the process: a local cloud keeps serving and still stops cleanly. Other stream errors stay fatal.
 */
export function dropOutputWhenClosed(): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
}

/** Runs the CLI with `argv` (without node and script) and resolves to the exit code; prints as it goes. */
export async function main(argv: readonly string[], list: readonly CommandEntry[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(helpText(list));
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const entry = list.find((c) => c.name === name);
  if (!entry) {
    console.error(`techmoda: unknown command "${name}"; run "techmoda --help" for the list`);
    return exitCodes.usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return exitCodes.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof AppError && error.code === 'USAGE') {
      console.error(`techmoda ${name}: ${error.message}`);
      return exitCodes.usage;
    }
    console.error(`techmoda ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  }
}

// Run when executed directly (tsx src/cli/main.ts, bin/techmoda.js), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  dropOutputWhenClosed();
  process.exitCode = await main(process.argv.slice(2));
}
