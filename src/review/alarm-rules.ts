import type { Finding } from './finding.ts';
import type { ReviewRule } from './review-rule.ts';
import { type ReviewedTemplate, referencedIds, resourcesOfType } from './reviewed-template.ts';

/** The template's single-metric alarms: namespace, metric name, and the logical ids (or literal names) in their dimensions. */
function alarms(
  template: ReviewedTemplate,
): { namespace: unknown; metric: unknown; dimensionRefs: string[]; dimensionText: string; dimensionless: boolean }[] {
  return resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => {
    const p = a.Properties ?? {};
    const dimensions = (p.Dimensions ?? []) as unknown[];
    return {
      namespace: p.Namespace,
      metric: p.MetricName,
      dimensionRefs: referencedIds(dimensions),
      dimensionText: JSON.stringify(dimensions),
      dimensionless: dimensions.length === 0,
    };
  });
}

/** DynamoDB throttles nobody is told about: alarms on reads only, or none. */
export const tableThrottlesUnalarmed: ReviewRule = {
  id: 'throttles-unalarmed',
  summary: 'a table whose throttling is alarmed for reads only, or not at all',
  check(template) {
    const all = alarms(template).filter((a) => a.namespace === 'AWS/DynamoDB');
    return resourcesOfType(template, 'AWS::DynamoDB::Table').flatMap(([id, table]): Finding[] => {
      const name = table.Properties?.TableName;
      const mine = all.filter((a) => a.dimensionRefs.includes(id) || (typeof name === 'string' && a.dimensionText.includes(name)));
      const covers = (metrics: string[]) => mine.some((a) => metrics.includes(String(a.metric)));
      const reads = covers(['ReadThrottleEvents', 'ThrottledRequests']);
      const writes = covers(['WriteThrottleEvents', 'ThrottledRequests']);
      if (reads && writes) return [];
      const missing = !reads && !writes ? 'reads or writes' : reads ? 'writes' : 'reads';
      return [
        {
          rule: 'throttles-unalarmed',
          severity: 'warning',
          resource: id,
          message: `no alarm on throttled ${missing}${reads || writes ? ` (only ${reads ? 'reads' : 'writes'} are watched)` : ''}: a sale can be throttled without anyone told`,
          fix: `alarm on AWS/DynamoDB ${!reads && !writes ? 'ReadThrottleEvents and WriteThrottleEvents' : reads ? 'WriteThrottleEvents' : 'ReadThrottleEvents'} (TableName, and GlobalSecondaryIndexName for each GSI), Sum >= 1 over 1 minute`,
        },
      ];
    });
  },
};

/** Lambda throttles (the 500s behind API Gateway, B 5.18) nobody is told about. */
export const lambdaThrottlesUnalarmed: ReviewRule = {
  id: 'lambda-throttles-unalarmed',
  summary: 'no alarm on Lambda throttles: the client sees 500s, the team sees nothing',
  check(template) {
    const throttleAlarms = alarms(template).filter((a) => a.namespace === 'AWS/Lambda' && a.metric === 'Throttles');
    if (throttleAlarms.some((a) => a.dimensionless)) return []; // the account's Throttles covers every function
    return resourcesOfType(template, 'AWS::Lambda::Function')
      .filter(([id]) => !throttleAlarms.some((a) => a.dimensionRefs.includes(id)))
      .map(([id]) => ({
        rule: 'lambda-throttles-unalarmed',
        severity: 'warning',
        resource: id,
        message: `no alarm on ${id}'s Throttles: a throttled invocation is a 500 for the client behind API Gateway (B 5.18), and nothing tells the team`,
        fix: 'alarm on AWS/Lambda Throttles (FunctionName), Sum >= 1 over 1 minute',
      }));
  },
};
