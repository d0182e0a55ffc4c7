import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorStatuses } from './error-statuses.ts';

// docs/errors.md is what clients read; it must list exactly the codes the API can answer with.
const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const section = doc.split('## Product API')[1]?.split('\n## ')[0] ?? '';

describe('error catalogue', () => {
  it('documents every API error code with its status, and nothing else', () => {
    const documented = Object.fromEntries(
      [...section.matchAll(/^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map(([, code, status]) => [code, Number(status)]),
    );
    expect(documented).toEqual(errorStatuses);
  });
});
