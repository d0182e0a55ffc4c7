import type { Finding } from './finding.ts';
import type { ReviewRule } from './review-rule.ts';
import { resourcesOfType } from './reviewed-template.ts';

/** A table that holds data without point-in-time recovery: a bad write during the sale cannot be undone. */
export const pointInTimeRecoveryOff: ReviewRule = {
  id: 'table-pitr-off',
  summary: 'point-in-time recovery off on a table that holds data',
  check(template) {
    return resourcesOfType(template, 'AWS::DynamoDB::Table').flatMap(([id, table]): Finding[] => {
      const pitr = table.Properties?.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: unknown } | undefined;
      if (pitr?.PointInTimeRecoveryEnabled === true) return [];
      return [
        {
          rule: 'table-pitr-off',
          severity: 'warning',
          resource: id,
          message:
            'point-in-time recovery is off: a bad deployment or script that overwrites products during the sale cannot be rolled back',
          fix: 'PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}',
        },
      ];
    });
  },
};
