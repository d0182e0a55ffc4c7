import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/design.md section 2: which top-level module of src/ may import which. Composition roots (lambda, cli) may
// import anything; local/ runs handlers by loading their bundles, never by importing api/.
const allowed: Record<string, readonly string[]> = {
  common: [],
  catalog: ['common'],
  store: ['catalog', 'common'],
  api: ['catalog', 'common', 'store/product-store'],
  scaling: ['common'],
  local: ['scaling', 'common', 'store/product-table'],
  load: ['common'],
  plan: ['scaling', 'common'],
  // "local's metric types" (docs/design.md) live in scaling/metric-store, which the local cloud's metrics use.
  dashboard: ['local', 'common', 'scaling/metric-store'],
  // The review reads templates as the local cloud does (YAML, the SAM transform), nothing else of it.
  review: ['common', 'local/sam'],
  types: [],
};

const srcDir = new URL('.', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('module dependency rule', () => {
  it('has no import across a forbidden edge', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const from = relative(srcDir, file).split('/')[0] as string;
      const rules = allowed[from];
      if (!rules) continue; // composition roots
      for (const [, target] of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const resolved = relative(srcDir, join(file, '..', target as string)).replace(/\.ts$/, '');
        const to = resolved.split('/')[0] as string;
        if (to === from || resolved.startsWith('..')) continue;
        if (!rules.some((rule) => resolved === rule || resolved.startsWith(`${rule}/`) || to === rule))
          violations.push(`${relative(srcDir, file)} -> ${resolved}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
