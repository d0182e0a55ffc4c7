import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The repository stands alone: a clone has nothing beside it, so every relative link in its Markdown must resolve to a
// file or folder inside it.
const repoDir = resolve(new URL('..', import.meta.url).pathname);

/** Markdown files git tracks or would track (untracked but not ignored), so a new page is checked before its commit. */
function markdownFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], {
    cwd: repoDir,
    encoding: 'utf8',
  });
  return listed.split('\n').filter((path) => path && existsSync(join(repoDir, path)));
}

/** Targets of inline links and images, outside fenced code blocks and inline code. */
function relativeLinkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  const targets: string[] = [];
  for (const [, target] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue; // URLs, mailto:, anchors
    targets.push(decodeURIComponent(target.split('#')[0] as string));
  }
  return targets;
}

describe('Markdown links', () => {
  it('finds relative links and leaves URLs, anchors and code alone', () => {
    const sample = '[a](docs/a.md#x) [b](https://x.io) [c](#top) `[d](nope.md)`\n```\n[e](nope.md)\n```\n![f](img/f.png "t")';
    expect(relativeLinkTargets(sample)).toEqual(['docs/a.md', 'img/f.png']);
  });

  it('resolves every relative link to a path inside the repository', () => {
    const files = markdownFiles();
    expect(files).toContain('README.md');
    const broken: string[] = [];
    for (const file of files) {
      for (const target of relativeLinkTargets(readFileSync(join(repoDir, file), 'utf8'))) {
        const path = resolve(dirname(join(repoDir, file)), target);
        if (!path.startsWith(`${repoDir}/`) || !existsSync(path)) broken.push(`${file} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
