import type { ReviewedTemplate } from './reviewed-template.ts';

/** One thing `techmoda review` found: a rule's verdict on one resource, with what to do about it. */
export interface Finding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** The logical id, or "(template)". */
  readonly resource: string;
  readonly message: string;
  readonly fix: string;
}

/** A rule of the review: a name, what it guards against, and its check. */
export interface ReviewRule {
  readonly id: string;
  /** One line: what breaks under a flash sale or at deploy time when the rule fires. */
  readonly summary: string;
  check(template: ReviewedTemplate, today: Date): Finding[];
}
