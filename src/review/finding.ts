/** One thing `techmoda review` found: a rule's verdict on one resource, with what to do about it. */
export interface Finding {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  /** The logical id, or "(template)". */
  readonly resource: string;
  readonly message: string;
  readonly fix: string;
}
