import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorStatuses } from './error-statuses.ts';

// docs/errors.md is what clients read; it must list exactly the codes the API can answer with.
const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const section = doc.split('## Product API')[1]?.split('\n## ')[0] ?? '';

/** Every code an AppError subclass in src/ raises: `super('CODE', ...)`. */
function raisedCodes(dir: URL): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .flatMap((entry) =>
      [...readFileSync(join(entry.parentPath, entry.name), 'utf8').matchAll(/super\(\s*'([A-Z_]+)'/g)].map((m) => m[1] as string),
    );
}

describe('error catalogue', () => {
  it('documents every code an error of the project can carry', () => {
    const codes = new Set(raisedCodes(new URL('../', import.meta.url)));
    expect(codes.size).toBeGreaterThan(15);
    const documented = new Set([...doc.matchAll(/^\|\s*`([A-Z_]+)`\s*\|/gm)].map(([, code]) => code));
    expect([...codes].filter((code) => !documented.has(code))).toEqual([]);
  });

  it('documents every API error code with its status, and nothing else', () => {
    const documented = Object.fromEntries(
      [...section.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map(([, code, status]) => [code, Number(status)]),
    );
    expect(documented).toEqual(errorStatuses);
  });
});
