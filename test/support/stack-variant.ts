import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let variants = 0;

/**
 * Writes a copy of a synthesized template, changed by `edit`, beside the original (so its assets resolve) and
 * returns its path. Each variant is its own stack name, hence its own table names.
 */
export function stackVariant(templatePath: string, edit: (resources: Record<string, any>) => void): string {
  const template = JSON.parse(readFileSync(templatePath, 'utf8'));
  edit(template.Resources);
  variants += 1;
  const path = join(dirname(templatePath), `Variant${process.pid}x${variants}.template.json`);
  writeFileSync(path, JSON.stringify(template));
  return path;
}

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export function resourceOf(resources: Record<string, any>, type: string, prefix = ''): any {
  const matches = Object.entries(resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix));
  if (matches.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${matches.length}`);
  return (matches[0] as [string, any])[1];
}

/** Drops the scheduled actions (the example sale) from every scalable target: at high time scales they would fire. */
export function withoutScheduledActions(resources: Record<string, any>): void {
  for (const resource of Object.values(resources)) {
    if (resource.Type === 'AWS::ApplicationAutoScaling::ScalableTarget') delete resource.Properties.ScheduledActions;
  }
}
