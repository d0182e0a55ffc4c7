import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeStack } from '../../src/stack/synthesize-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The stack's template, synthesized with bundling once per test run (assets beside it). */
    stackTemplatePath: string;
  }
}

/** Vitest global setup: one synth (~5 s with esbuild bundling) shared by every suite that runs the real stack. */
export default function setup(project: TestProject): void {
  const outdir = mkdtempSync(join(tmpdir(), 'techmoda-stack-'));
  project.provide('stackTemplatePath', synthesizeStack({}, outdir));
}
