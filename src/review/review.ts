import { lambdaThrottlesUnalarmed, tableThrottlesUnalarmed } from './alarm-rules.ts';
import { writesUnauthorized } from './auth-rules.ts';
import { partialScaling, reservedConcurrencyUnwatched, spikeFasterThanScaling } from './capacity-rules.ts';
import type { Finding } from './finding.ts';
import { functionWithoutTableAccess, unknownManagedPolicy, wildcardDataAccess } from './iam-rules.ts';
import type { ReviewRule } from './review-rule.ts';
import type { ReviewedTemplate } from './reviewed-template.ts';
import { runtimeDeprecated } from './runtime-rules.ts';
import { pointInTimeRecoveryOff } from './table-rules.ts';

/** Every rule, in the order findings are listed. */
export const reviewRules: readonly ReviewRule[] = [
  runtimeDeprecated,
  unknownManagedPolicy,
  functionWithoutTableAccess,
  wildcardDataAccess,
  partialScaling,
  spikeFasterThanScaling,
  reservedConcurrencyUnwatched,
  tableThrottlesUnalarmed,
  lambdaThrottlesUnalarmed,
  pointInTimeRecoveryOff,
  writesUnauthorized,
];

/** Rules that only the SAM transform applies (their findings come from reading the template). */
export const transformRuleIds = ['provisioned-concurrency-without-alias', 'sam-transform'];

/** A finding the template acknowledges, with its reason. */
export type AcknowledgedFinding = Finding & { readonly reason: string };

/** What a review found. */
export interface ReviewResult {
  readonly findings: readonly Finding[];
  readonly acknowledged: readonly AcknowledgedFinding[];
}

/**
 * Runs the rules on a template. A resource acknowledges a finding in its Metadata, with a reason that the output
 * shows (`techmoda:review: {acknowledged: [{rule, reason}]}`, as cdk-nag's suppressions do); `ignore` skips rules.
 */
export function review(template: ReviewedTemplate, options: { ignore?: readonly string[]; today: Date }): ReviewResult {
  const ignored = new Set(options.ignore ?? []);
  const all = [...template.transformFindings, ...reviewRules.flatMap((rule) => rule.check(template, options.today))].filter(
    (f) => !ignored.has(f.rule),
  );
  const findings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const finding of all) {
    const reason = acknowledgement(template, finding);
    if (reason === undefined) findings.push(finding);
    else acknowledged.push({ ...finding, reason });
  }
  findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return { findings, acknowledged };
}

function acknowledgement(template: ReviewedTemplate, finding: Finding): string | undefined {
  const metadata = template.resources[finding.resource]?.Metadata?.['techmoda:review'] as { acknowledged?: unknown } | undefined;
  const entries = Array.isArray(metadata?.acknowledged) ? (metadata.acknowledged as { rule?: unknown; reason?: unknown }[]) : [];
  const entry = entries.find((e) => e.rule === finding.rule && typeof e.reason === 'string' && e.reason.length > 0);
  return entry?.reason as string | undefined;
}
