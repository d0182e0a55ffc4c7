import { writeFileSync } from 'node:fs';
import { evaluateChecks, type LoadCheck } from './load-checks.ts';
import type { LoadProfile } from './load-profile.ts';
import { type CloudView, type LoadReport, renderHtml, summaryTable } from './load-report.ts';
import type { RunFigures } from './load-results.ts';
import { type LoadProgress, runLoad, type WriteCheck } from './load-runner.ts';
import { runLoadInWorker } from './run-load-in-worker.ts';
import type { ClientCredentials } from './token-source.ts';

/** What one load session needs. */
export interface LoadSessionOptions {
  readonly target: URL;
  readonly profile: LoadProfile;
  readonly checks: readonly LoadCheck[];
  readonly connections: number;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly verifyWrites: boolean;
  readonly announcePhases: boolean;
  readonly outFile?: string | undefined;
  readonly reportFile?: string | undefined;
  /** The back-office client for writes (a deployed stage); on the local cloud the run finds its own. */
  readonly credentials?: ClientCredentials | undefined;
  /** Run the generator on a worker thread, apart from a system under test in this process (npm run lab). */
  readonly inWorker?: boolean;
  /** Adds the cloud's view once the run is over (npm run lab). */
  readonly cloudView?: (startedAtMs: number) => Promise<CloudView>;
}

/** Runs the load, prints the summary and checks, writes --out and --report; resolves to the report. */
export async function runLoadSession(options: LoadSessionOptions, print: (line: string) => void): Promise<LoadReport> {
  const tty = process.stdout.isTTY === true;
  let lastPlain = 0;
  const run = await (options.inWorker ? runLoadInWorker : runLoad)({
    target: options.target,
    profile: options.profile,
    connections: options.connections,
    timeoutMs: options.timeoutMs,
    credentials: options.credentials,
    seed: options.seed,
    announcePhases: options.announcePhases,
    verifyWrites: options.verifyWrites,
    onPhase: (i) => {
      const phase = options.profile.phases[i];
      if (!phase) return;
      const rate =
        phase.rampToRatePerSecond === undefined ? `${phase.ratePerSecond}/s` : `${phase.ratePerSecond} -> ${phase.rampToRatePerSecond}/s`;
      if (tty) process.stdout.write('\r\x1b[K');
      print(`phase ${phase.name}: ${phase.durationSeconds} s at ${rate}`);
    },
    onProgress: (progress) => {
      if (tty) process.stdout.write(`\r\x1b[K${progressLine(progress)}`);
      else if (progress.elapsedSeconds - lastPlain >= 10) {
        lastPlain = progress.elapsedSeconds;
        print(progressLine(progress));
      }
    },
  });
  if (tty) process.stdout.write('\r\x1b[K');
  return reportRun(options, run, undefined, print);
}

/** What the session reports on: a native run, or one read back from another engine. */
export interface FinishedRun {
  readonly results: RunFigures;
  readonly startedAtMs: number;
  /** Requests sent by kind; absent for a run read back from another engine. */
  readonly sentByKind?: Readonly<Record<string, number>> | undefined;
  readonly writes: WriteCheck | undefined;
}

/**
 * Prints the per-phase table, throttles by cause and checks, and writes --out and --report, for a run of ours or one
 * read from another engine (`engine` says which, and what its data cannot give).
 */
export async function reportRun(
  options: Pick<LoadSessionOptions, 'profile' | 'checks' | 'outFile' | 'reportFile' | 'cloudView'> & { readonly target: URL | undefined },
  run: FinishedRun,
  engine: LoadReport['engine'],
  print: (line: string) => void,
): Promise<LoadReport> {
  const phases = run.results.phaseSummaries();
  const total = run.results.totalSummary();
  const { writes } = run;
  const checks = evaluateChecks(options.checks, total, phases);
  const report: LoadReport = {
    schemaVersion: 1,
    target: options.target?.href ?? 'not recorded by the engine',
    profile: {
      name: options.profile.name,
      description: options.profile.description,
      phases: options.profile.phases,
      mix: options.profile.mix,
    },
    startedAt: new Date(run.startedAtMs).toISOString(),
    phases,
    total,
    timeline: run.results.timeline(),
    sentByKind: run.sentByKind,
    checks,
    writes,
    cloud: options.cloudView ? await options.cloudView(run.startedAtMs) : undefined,
    engine,
  };
  print('');
  if (engine) print(`read from ${engine.name} results ${engine.file}; they cannot give: ${engine.cannotGive.join('; ')}.`);
  print(summaryTable(phases, total));
  print(
    `throttled: gateway (429) ${total.throttled.gateway}, Lambda (500) ${total.throttled.lambda}, DynamoDB (503) ${total.throttled.dynamodb}; errors ${total.errors} of ${total.sent}`,
  );
  if (run.sentByKind)
    print(
      `sent by kind: ${Object.entries(run.sentByKind)
        .map(([kind, n]) => `${kind} ${n}`)
        .join(', ')}`,
    );
  if (writes)
    print(
      `writes: ${writes.acknowledged} acknowledged, ${writes.verified} verified, ${writes.missing.length} missing${writes.missing.length ? ` (${writes.missing.slice(0, 5).join(', ')}${writes.missing.length > 5 ? ', ...' : ''})` : ''}`,
    );
  for (const check of checks) print(`check ${check.passed ? 'PASS' : 'FAIL'} ${check.expression} (actual ${check.actual})`);
  if (options.outFile) {
    writeFileSync(options.outFile, `${JSON.stringify(report, null, 2)}\n`);
    print(`wrote ${options.outFile}`);
  }
  if (options.reportFile) {
    writeFileSync(options.reportFile, renderHtml(report));
    print(`wrote ${options.reportFile}`);
  }
  return report;
}

function progressLine(p: LoadProgress): string {
  return `${p.phase.padEnd(12)} ${p.elapsedSeconds.toFixed(0).padStart(4)}/${p.totalSeconds} s  ${String(p.ratePerSecond).padStart(6)} req/s  p99 ${p.p99Ms.toFixed(1).padStart(7)} ms  errors ${p.errors}  in flight ${p.inFlight}`;
}
