import type { Finding } from './finding.ts';
import type { ReviewedTemplate } from './reviewed-template.ts';

/** A rule of the review: a name, what it guards against, and its check. */
export interface ReviewRule {
  readonly id: string;
  /** One line: what breaks under a flash sale or at deploy time when the rule fires. */
  readonly summary: string;
  check(template: ReviewedTemplate, today: Date): Finding[];
}
