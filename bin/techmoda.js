#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
// A command that hosts the local cloud starts again with glibc's malloc tuned, if it is not yet (malloc-tuning.ts).
const { relaunchTuned } = await import('../src/cli/malloc-tuning.ts');
const relaunched = await relaunchTuned(args);
if (relaunched !== undefined) process.exitCode = relaunched;
else {
  const { main, dropOutputWhenClosed } = await import('../src/cli/main.ts');
  dropOutputWhenClosed();
  process.exitCode = await main(args);
}
