import { AppError } from './app-error.ts';

/**
 * A problem with how something was asked for (an option, a file, a template the caller gave): the CLI prints it as
 * one line with exit code 2. It lives here, not in the CLI, so the libraries the CLI calls (the planner, the stack
 * source) can refuse bad input without importing the CLI.
 */
export class UsageError extends AppError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
