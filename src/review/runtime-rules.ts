import type { Finding } from './finding.ts';
import { nodeRuntimes, recommendedNodeRuntime } from './lambda-runtimes.ts';
import type { ReviewRule } from './review-rule.ts';
import { resourcesOfType } from './reviewed-template.ts';

const day = 86_400_000;

/** A deprecated runtime: an error once AWS blocks creating functions on it, a warning from six months before deprecation. */
export const runtimeDeprecated: ReviewRule = {
  id: 'runtime-deprecated',
  summary: 'a Lambda runtime AWS deprecates or blocks: the next deployment of the function fails',
  check(template, today) {
    return resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([id, fn]): Finding[] => {
      const runtime = fn.Properties?.Runtime;
      const dates = typeof runtime === 'string' ? nodeRuntimes[runtime] : undefined;
      if (!dates) return [];
      const fix = `Runtime: ${recommendedNodeRuntime} (deprecated on ${nodeRuntimes[recommendedNodeRuntime]?.deprecated})`;
      const now = today.getTime();
      const blocked = dates.blockCreate !== undefined && Date.parse(dates.blockCreate) <= now;
      if (blocked)
        return [
          {
            rule: 'runtime-deprecated',
            severity: 'error',
            resource: id,
            message: `${runtime} was deprecated on ${dates.deprecated}; AWS has blocked creating functions on it since ${dates.blockCreate}${dates.blockUpdate ? ` and updating them since ${dates.blockUpdate}` : ''}: a new deployment fails (B 10.1, 10.2)`,
            fix,
          },
        ];
      if (Date.parse(dates.deprecated) <= now)
        return [
          {
            rule: 'runtime-deprecated',
            severity: 'warning',
            resource: id,
            message: `${runtime} was deprecated on ${dates.deprecated} and gets no more security patches; AWS blocks creating functions on it ${dates.blockCreate ? `from ${dates.blockCreate}` : 'after deprecation (the date is not recorded here)'} (B 10.1, 10.2)`,
            fix,
          },
        ];
      if (Date.parse(dates.deprecated) - now <= 183 * day)
        return [
          {
            rule: 'runtime-deprecated',
            severity: 'warning',
            resource: id,
            message: `${runtime} is deprecated on ${dates.deprecated}; AWS blocks creating functions on it from ${dates.blockCreate ?? 'a later date'} (B 10.1)`,
            fix,
          },
        ];
      return [];
    });
  },
};
