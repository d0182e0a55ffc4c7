#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main, dropOutputWhenClosed } = await import('../src/cli/main.ts');
dropOutputWhenClosed();
process.exitCode = await main(process.argv.slice(2));
