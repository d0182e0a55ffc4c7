import { resolve } from 'node:path';
import { AppError } from '../common/app-error.ts';
import { UsageError } from '../common/usage-error.ts';
import { review, reviewRules, transformRuleIds } from '../review/review.ts';
import { readForReview } from '../review/reviewed-template.ts';
import type { Command } from './command.ts';
import { parseOptions } from './option-values.ts';

const ruleIds = [...transformRuleIds, ...reviewRules.map((r) => r.id)];

const usage = `Usage: techmoda review --template FILE [--format text|json] [--ignore RULE ...] [--as-of DATE]

A static review of a template, SAM (template.yaml) or synthesized CDK (cdk.out/*.template.json), for what breaks
under a flash sale or at deploy time. One line per finding: severity, rule, resource, what breaks, and the fix.
Exits 1 when an error-level finding remains, 0 otherwise (2 for a template it cannot read).
A resource acknowledges a finding in its Metadata, with a reason the output shows:
  Metadata: {"techmoda:review": {"acknowledged": [{"rule": "RULE", "reason": "why it is fine here"}]}}

Options:
  --template FILE    the template to review (.yaml, .yml, .json)
  --format F         text (default) or json
  --ignore RULE      skip a rule (repeatable)
  --as-of DATE       review as of this date (YYYY-MM-DD; default today), e.g. the sale's: runtime dates are judged then

Rules:
${[
  '  provisioned-concurrency-without-alias  SAM refuses provisioned concurrency without AutoPublishAlias',
  '  sam-transform                          the SAM transform refuses the template',
  ...reviewRules.map((r) => `  ${r.id.padEnd(38)} ${r.summary}`),
].join('\n')}`;

/** `techmoda review`: a template's scaling and deployment defects, each with its fix. */
export const reviewCommand: Command = {
  usage,
  async run(args) {
    const values = parseOptions(args, {
      template: { type: 'string' },
      format: { type: 'string' },
      ignore: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
    });
    if (!values.template) throw new UsageError('--template FILE is required');
    const format = values.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format}: use text or json`);
    const unknown = (values.ignore ?? []).find((rule) => !ruleIds.includes(rule));
    if (unknown) throw new UsageError(`--ignore ${unknown}: no such rule (techmoda review --help lists them)`);
    let template: ReturnType<typeof readForReview>;
    try {
      template = readForReview(resolve(values.template));
    } catch (error) {
      if (error instanceof AppError) throw new UsageError(error.message);
      throw error;
    }
    const asOf = values['as-of'];
    if (asOf !== undefined && !(/^\d{4}-\d\d-\d\d$/.test(asOf) && !Number.isNaN(Date.parse(asOf))))
      throw new UsageError(`--as-of ${asOf}: give a date as YYYY-MM-DD`);
    const result = review(template, { ignore: values.ignore, today: asOf === undefined ? new Date() : new Date(`${asOf}T00:00:00Z`) });
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    const warnings = result.findings.length - errors;
    if (format === 'json') {
      console.log(
        JSON.stringify(
          { template: values.template, errors, warnings, findings: result.findings, acknowledged: result.acknowledged },
          null,
          2,
        ),
      );
    } else {
      for (const f of result.findings) console.log(`${f.severity.padEnd(7)} ${f.rule}  ${f.resource}: ${f.message}. Fix: ${f.fix}.`);
      for (const f of result.acknowledged) console.log(`ok      ${f.rule}  ${f.resource}: acknowledged: ${f.reason}`);
      console.log(
        `${values.template}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${result.acknowledged.length} acknowledged`,
      );
    }
    return errors > 0 ? 1 : 0;
  },
};
