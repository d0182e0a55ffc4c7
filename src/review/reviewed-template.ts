import { readFileSync } from 'node:fs';
import { AppError } from '../common/app-error.ts';
import { parseCfnTemplate } from '../local/template/sam/cfn-yaml.ts';
import { expandSam, SamTransformError, usesSam } from '../local/template/sam/sam-transform.ts';
import type { Finding } from './finding.ts';

/** One resource of the reviewed template (after the SAM transform). */
export interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

/** The template as the rules see it: CloudFormation resources, and what the SAM transform itself refused. */
export interface ReviewedTemplate {
  readonly resources: Readonly<Record<string, Resource>>;
  /** Findings made before the rules run: the SAM transform's own errors. */
  readonly transformFindings: readonly Finding[];
}

/** The template cannot be read at all. */
export class ReviewTemplateError extends AppError {
  constructor(message: string) {
    super('TEMPLATE_INVALID', message);
  }
}

/**
 * Reads a template, SAM or synthesized CDK, for review. A SAM template is expanded as CloudFormation would; where
 * the transform refuses it (the lab's provisioned concurrency without an alias), the refusal is a finding in SAM's
 * words, and the review goes on with the offending property set aside, so one defect does not hide the others.
 */
export function readForReview(path: string): ReviewedTemplate {
  let template: Record<string, unknown>;
  try {
    template = parseCfnTemplate(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ReviewTemplateError(`cannot read template ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof template !== 'object' || template === null || typeof template.Resources !== 'object')
    throw new ReviewTemplateError(`${path} has no Resources section`);
  if (!usesSam(template)) return { resources: template.Resources as Record<string, Resource>, transformFindings: [] };
  const findings: Finding[] = [];
  const lenient = structuredClone(template);
  const globalAlias = (lenient.Globals as Record<string, Record<string, unknown>> | undefined)?.Function?.AutoPublishAlias;
  for (const [id, resource] of Object.entries(
    lenient.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
  )) {
    const p = resource.Properties ?? {};
    if (resource.Type !== 'AWS::Serverless::Function' || p.ProvisionedConcurrencyConfig === undefined) continue;
    if (p.AutoPublishAlias !== undefined || globalAlias !== undefined) continue;
    findings.push({
      rule: 'provisioned-concurrency-without-alias',
      severity: 'error',
      resource: id,
      message: `${new SamTransformError([{ id, message: 'To set ProvisionedConcurrencyConfig AutoPublishALias must be defined on the function' }]).message}. Provisioned concurrency exists only on a version or alias, never on $LATEST (B 5.8)`,
      fix: 'add AutoPublishAlias: live; the API events then invoke the alias, so its warm environments serve the traffic',
    });
    delete p.ProvisionedConcurrencyConfig;
  }
  try {
    return { resources: (expandSam(lenient) as { Resources: Record<string, Resource> }).Resources, transformFindings: findings };
  } catch (error) {
    if (!(error instanceof SamTransformError)) throw error;
    findings.push({
      rule: 'sam-transform',
      severity: 'error',
      resource: '(template)',
      message: error.message,
      fix: 'correct the template as the message says',
    });
    return { resources: {}, transformFindings: findings };
  }
}

/** The logical id a value points at: `{Ref: X}`, `{Fn::GetAtt: [X, ...]}`, or `${X}` / `${X.Attr}` in an `Fn::Sub`. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (typeof value !== 'object' || value === null) return [];
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref' && typeof argument === 'string') return [argument];
  if (entries.length === 1 && key === 'Fn::GetAtt') {
    const target = Array.isArray(argument) ? argument[0] : typeof argument === 'string' ? argument.split('.')[0] : undefined;
    return typeof target === 'string' ? [target] : [];
  }
  if (entries.length === 1 && key === 'Fn::Sub') {
    const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
    const fromText = [...String(text).matchAll(/\$\{([^}!.]+)(?:\.[^}]*)?\}/g)]
      .map((m) => m[1] as string)
      .filter((id) => !id.startsWith('AWS::'));
    const bound = new Set(Object.keys((variables ?? {}) as object));
    return [...fromText.filter((id) => !bound.has(id)), ...referencedIds(variables)];
  }
  return entries.flatMap(([, child]) => referencedIds(child));
}

/** Resources of one type, as [logical id, resource]. */
export function resourcesOfType(template: ReviewedTemplate, type: string): [string, Resource][] {
  return Object.entries(template.resources).filter(([, r]) => r.Type === type);
}
