import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { importArtilleryReport } from './artillery-report.ts';
import { ImportError, type ImportedRun } from './imported-run.ts';
import { importK6Points, importK6Summary } from './k6-results.ts';
import type { LoadProfile } from './load-profile.ts';

/**
 * Reads another engine's results, recognised by their shape: an Artillery JSON report (`aggregate` and
 * `intermediate`), a k6 `--summary-export` (`metrics`), or k6's `--out json=` output (one object per line).
 */
export async function importResults(file: string, profile: LoadProfile): Promise<ImportedRun> {
  let head: string;
  try {
    head = firstBytes(file, 4096);
  } catch (error) {
    throw new ImportError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const firstLine = head.split('\n', 1)[0] ?? '';
  if (/^\s*\{"(type|metric)"/.test(firstLine)) return importK6Points(file, profile);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ImportError(
      `${file} is neither JSON nor k6's line-by-line output: expected an Artillery report (--output), a k6 --summary-export or k6 --out json=`,
    );
  }
  if (typeof json === 'object' && json !== null && 'aggregate' in json) return importArtilleryReport(json, profile);
  if (typeof json === 'object' && json !== null && 'metrics' in json) {
    const run = importK6Summary(json, profile, file);
    // The summary does not say when the run started: k6 writes it as the run ends.
    const durationMs = profile.phases.reduce((sum, p) => sum + p.durationSeconds, 0) * 1000;
    return { ...run, startedAtMs: statSync(file).mtimeMs - durationMs };
  }
  throw new ImportError(`${file}: not an Artillery report (no "aggregate") nor a k6 summary (no "metrics")`);
}

function firstBytes(file: string, length: number): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
