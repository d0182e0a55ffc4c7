import { dashboardRoutes } from '../dashboard/dashboard-routes.ts';
import type { LoadCheck } from '../load/load-checks.ts';
import type { LoadProfile } from '../load/load-profile.ts';
import type { LoadReport } from '../load/load-report.ts';
import { runLoadSession } from '../load/load-session.ts';
import { LocalCloud } from '../local/local-cloud.ts';
import { runtimeMismatchLine } from '../local/template/function-runtime.ts';
import type { ScalingActivity } from '../scaling/scalable-target.ts';
import type { RetryQuotaScope } from '../scaling/sdk-retry.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import { burstAssumptionLines } from './burst-assumption.ts';
import { readCloudView } from './cloud-view.ts';
import { describeFidelity, type FidelityOptions } from './fidelity.ts';
import { seedProducts } from './seed-products.ts';

/** What a lab run produced. */
export interface LabRun {
  readonly report: LoadReport;
  readonly advice: string[];
  readonly burst: string[] | undefined;
  /** Scaling activities as the event log recorded them, with the virtual time of each record. */
  readonly scaling: (ScalingActivity & { virtualAtMs: number })[];
  /** Virtual time of the cloud's start. */
  readonly startedAtMs: number;
  /**
   * Whose SDK retry quota the functions drew on: each environment's own, as in AWS, unless a function's retry strategy
   * was out of the local cloud's reach (docs/decisions/0005).
   */
  readonly retryQuotaScope: RetryQuotaScope;
}

/** Options of {@link runLabOnLocalCloud}. */
export interface LabRunOptions {
  readonly model: StackModel;
  readonly profile: LoadProfile;
  readonly checks: readonly LoadCheck[];
  readonly timeScale: number;
  readonly seed: number;
  readonly fidelity: FidelityOptions;
  readonly virtualStartMs: number | undefined;
  readonly reportFile?: string | undefined;
  readonly outFile?: string | undefined;
  /** Do not print the cloud's alarm and scaling lines as they happen. */
  readonly quiet: boolean;
  readonly print: (line: string) => void;
}

/**
 * The lab's run: a local cloud of the stack, seeded, the profile replayed against it, the client's report with the
 * cloud's view of the same phases, what to change, and the burst assumption. `npm run lab` and `techmoda plan --verify`.
 */
export async function runLabOnLocalCloud(options: LabRunOptions): Promise<LabRun> {
  const { model, profile, fidelity, print } = options;
  const cloud = new LocalCloud({
    model,
    virtualStartMs: options.virtualStartMs,
    port: 0,
    timeScale: options.timeScale,
    controlPlaneRoutes: dashboardRoutes,
    ...fidelity,
    print: options.quiet ? undefined : (line) => print(`  [cloud] ${line}`),
  });
  const endpoints = await cloud.start();
  try {
    if (options.seed > 0) await seedProducts(endpoints, model, options.seed);
    const origin = new URL(endpoints.apiUrl).origin;
    const sinceSeq = cloud.controlPlane.events.lastSeq;
    print(`Local cloud at ${endpoints.apiUrl} (time scale ${options.timeScale}x); running profile ${profile.name}`);
    print(`Dashboard ${origin}/_local/dashboard`);
    const mismatch = runtimeMismatchLine(model.functions.map((fn) => fn.runtime));
    if (mismatch) print(mismatch);
    print(describeFidelity(fidelity));
    let advice: string[] = [];
    const report = await runLoadSession(
      {
        target: new URL(endpoints.apiUrl),
        profile,
        checks: options.checks,
        connections: 256,
        timeoutMs: 10_000,
        seed: 1,
        verifyWrites: false,
        announcePhases: true,
        inWorker: true,
        outFile: options.outFile,
        reportFile: options.reportFile,
        cloudView: async () => {
          const view = await readCloudView(origin, sinceSeq);
          advice = view.advice;
          return view;
        },
      },
      print,
    );
    const burst = burstAssumptionLines(report, model, cloud.controlPlane, fidelity.burstStartsFull);
    const scaling = cloud.controlPlane.events
      .since(sinceSeq)
      .flatMap((e) => (e.type === 'scaling' ? [{ ...e.activity, virtualAtMs: e.virtualAtMs }] : []));
    const sharedQuota = Object.entries(cloud.retryQuotaScopes()).filter(([, scope]) => scope === 'function');
    if (sharedQuota.length > 0)
      print(
        `SDK retry quota shared by all environments of ${sharedQuota.map(([name]) => name).join(', ')}: their retry strategy was out of reach (docs/decisions/0005)`,
      );
    const retryQuotaScope = sharedQuota.length > 0 ? 'function' : 'environment';
    return { report, advice, burst, scaling, startedAtMs: cloud.controlPlane.startedAtMs, retryQuotaScope };
  } finally {
    await cloud.stop();
  }
}
