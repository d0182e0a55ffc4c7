import type { Finding } from './finding.ts';
import type { ReviewRule } from './review-rule.ts';
import { type Resource, type ReviewedTemplate, referencedIds, resourcesOfType } from './reviewed-template.ts';

/** A provisioned table's scalable dimensions: the table's and each GSI's reads and writes. */
interface Dimension {
  readonly tableId: string;
  readonly indexName: string | undefined;
  readonly kind: 'Read' | 'Write';
}

const label = (d: Dimension) => `${d.indexName ? `GSI ${d.indexName} ` : ''}${d.kind === 'Read' ? 'reads' : 'writes'}`;

function provisionedTables(template: ReviewedTemplate): [string, Resource][] {
  return resourcesOfType(template, 'AWS::DynamoDB::Table').filter(([, t]) => t.Properties?.BillingMode !== 'PAY_PER_REQUEST');
}

function dimensionsOf(tableId: string, table: Resource): Dimension[] {
  const indexes = ((table.Properties?.GlobalSecondaryIndexes ?? []) as { IndexName?: unknown }[]).map((i) => String(i.IndexName));
  return [undefined, ...indexes].flatMap((indexName) => (['Read', 'Write'] as const).map((kind) => ({ tableId, indexName, kind })));
}

/** The DynamoDB scalable targets of the template, with the table (logical id), index and dimension each scales. */
function scaledDimensions(template: ReviewedTemplate): (Dimension & { targetId: string; resource: Resource })[] {
  return resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalableTarget').flatMap(([targetId, target]) => {
    const p = target.Properties ?? {};
    if (p.ServiceNamespace !== 'dynamodb') return [];
    const [tableId] = referencedIds(p.ResourceId).filter((ref) => template.resources[ref]?.Type === 'AWS::DynamoDB::Table');
    const dimension = /^dynamodb:(table|index):(Read|Write)CapacityUnits$/.exec(String(p.ScalableDimension));
    if (!tableId || !dimension) return [];
    const indexName = /\/index\/([^/"]+)/.exec(JSON.stringify(p.ResourceId))?.[1];
    return [{ tableId, indexName, kind: dimension[2] as 'Read' | 'Write', targetId, resource: target }];
  });
}

/** Reads or writes of a table or GSI left at their provisioned capacity while others scale. */
export const partialScaling: ReviewRule = {
  id: 'scaling-partial',
  summary: 'a table or GSI whose reads or writes are not auto scaled while others are',
  check(template) {
    const scaled = scaledDimensions(template);
    return provisionedTables(template).flatMap(([tableId, table]): Finding[] => {
      const mine = scaled.filter((s) => s.tableId === tableId);
      if (mine.length === 0) return [];
      const isScaled = (d: Dimension) => mine.some((s) => s.indexName === d.indexName && s.kind === d.kind);
      const scaledLabels = mine.map(label);
      return dimensionsOf(tableId, table)
        .filter((d) => !isScaled(d))
        .map((d) => ({
          rule: 'scaling-partial',
          severity: 'error',
          resource: tableId,
          message: `${label(d)} are not auto scaled while ${[...new Set(scaledLabels)].join(', ')} are: they stay at their provisioned capacity for the whole sale${d.indexName ? ', and a GSI short of write capacity throttles writes to the table itself (B 1.19)' : ''}`,
          fix: `add a ScalableTarget (dynamodb:${d.indexName ? 'index' : 'table'}:${d.kind}CapacityUnits) and a target-tracking ScalingPolicy for it`,
        }));
    });
  },
};

/** Target tracking alone against a spike that arrives within minutes: no pre-scaling, no on-demand. */
export const spikeFasterThanScaling: ReviewRule = {
  id: 'spike-faster-than-scaling',
  summary: 'target tracking as the only defence against a spike shorter than its reaction time',
  check(template) {
    const scaled = scaledDimensions(template);
    const tracked = new Set(
      resourcesOfType(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').flatMap(([, policy]) =>
        referencedIds(policy.Properties?.ScalingTargetId),
      ),
    );
    return provisionedTables(template).flatMap(([tableId]): Finding[] => {
      const targets = scaled.filter((s) => s.tableId === tableId);
      if (!targets.some((t) => tracked.has(t.targetId))) return [];
      if (targets.some((t) => ((t.resource.Properties?.ScheduledActions ?? []) as unknown[]).length > 0)) return [];
      return [
        {
          rule: 'spike-faster-than-scaling',
          severity: 'warning',
          resource: tableId,
          message:
            'target tracking is the only answer to a spike: it scales out after two 1-minute datapoints above the target, the alarm can act minutes late, and UpdateTable takes minutes during which the old capacity holds (B 4.3-4.15), so a sale that jumps within minutes is throttled before capacity arrives',
          fix: 'pre-scale for known sales with ScheduledActions on the scalable targets (MinCapacity raised before the start), keep headroom in MinCapacity, or use BillingMode: PAY_PER_REQUEST (doubles to the previous peak at once, B 3.1)',
        },
      ];
    });
  },
};

/** Reserved concurrency is a ceiling as well as a guarantee: without an alarm below it, the first sign is 500s. */
export const reservedConcurrencyUnwatched: ReviewRule = {
  id: 'reserved-concurrency-unwatched',
  summary: 'reserved concurrency as the only ceiling, with no alarm near it',
  check(template) {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties ?? {});
    return resourcesOfType(template, 'AWS::Lambda::Function').flatMap(([id, fn]): Finding[] => {
      const reserved = fn.Properties?.ReservedConcurrentExecutions;
      if (typeof reserved !== 'number') return [];
      const watched = alarms.some(
        (a) =>
          a.Namespace === 'AWS/Lambda' &&
          a.MetricName === 'ConcurrentExecutions' &&
          referencedIds(a.Dimensions).includes(id) &&
          (typeof a.Threshold !== 'number' || a.Threshold < reserved),
      );
      if (watched) return [];
      return [
        {
          rule: 'reserved-concurrency-unwatched',
          severity: 'warning',
          resource: id,
          message: `ReservedConcurrentExecutions ${reserved} reserves and caps (B 5.3): when DynamoDB slows every invocation, concurrency reaches ${reserved} and API Gateway answers 500s, with no alarm before it`,
          fix: `alarm on AWS/Lambda ConcurrentExecutions (FunctionName) at about ${Math.floor(reserved * 0.8)}, and size the reservation as peak requests per second x p99 duration with headroom`,
        },
      ];
    });
  },
};
