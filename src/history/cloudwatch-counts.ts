import { UsageError } from '../common/usage-error.ts';
import type { StackModel } from '../scaling/stack-model.ts';
import type { MetricSeries } from './cloudwatch-export.ts';
import { kindOfRoute, type RouteKind } from './route-kinds.ts';
import { StepCounts } from './step-counts.ts';

/** Requests per step from CloudWatch series, and what the series said beside them. */
export interface CloudWatchCounts {
  readonly counts: StepCounts;
  /** Lines for the user: how functions' invocations were mapped to routes, what was left aside. */
  readonly notes: string[];
  /** `Provisioned*CapacityUnits` series, by label: the table's capacity during the sale. */
  readonly capacity: MetricSeries[];
}

/**
 * API Gateway `Count` per method and resource (detailed metrics) counts each route; without them, Lambda
 * `Invocations` per function count the routes the template sends to that function, split evenly where it serves
 * more than one (both listings and gets go to GetProducts: say so, or give the per-route counts). When both are
 * given, the gateway's counts win: invocations exclude throttled requests, which the gateway counted.
 */
export function countsFromCloudWatch(series: readonly MetricSeries[], model: StackModel | undefined): CloudWatchCounts {
  const requests = series.filter((s) => s.metricName === 'Count' || s.metricName === 'Invocations');
  const capacity = series.filter((s) => s.metricName.startsWith('Provisioned'));
  if (requests.length === 0) throw new UsageError('the CloudWatch exports hold no Count or Invocations series to build traffic from');
  const periods = new Set(requests.map((s) => s.periodSeconds));
  if (periods.size > 1) {
    const [a, b] = requests.filter((s, i, all) => all.findIndex((o) => o.periodSeconds === s.periodSeconds) === i);
    throw new UsageError(
      `${b?.file}: "${b?.label}" has ${b?.periodSeconds} s periods and "${a?.label}" (${a?.file}) ${a?.periodSeconds} s: export every series with one --period`,
    );
  }
  const counts = new StepCounts((requests[0] as MetricSeries).periodSeconds * 1000);
  const notes: string[] = [];
  const gateway = requests.filter((s) => s.metricName === 'Count');
  if (gateway.length > 0) {
    if (requests.length > gateway.length) notes.push('API Gateway Count series given: the Lambda Invocations series were not used.');
    for (const s of gateway) {
      const [method = '', resourcePath = ''] = s.subject.split(' ');
      const kind = kindOfRoute(method, resourcePath);
      for (const p of s.points) kind ? counts.add(p.timeMs, kind, p.value) : counts.addUnknown(s.subject, p.value);
    }
    return { counts, notes, capacity };
  }
  if (!model) throw new UsageError('Lambda Invocations map to routes through the template: give --template T');
  for (const s of requests) {
    // The label names the function as the template does (GetProducts) or by the name CloudFormation gave it on AWS
    // (TechModaProductApi-FunctionsGetProducts932F4808-AbC123), which holds the function's logical id.
    const fn = model.functions.find((f) => f.name === s.subject || s.subject.includes(f.logicalId));
    const routes = model.api?.routes.filter((r) => r.functionName === fn?.name) ?? [];
    if (routes.length === 0) throw new UsageError(`${s.file}: "${s.label}": the template has no route to a function ${s.subject}`);
    const kinds = routes.map((r) => kindOfRoute(r.method, r.resourcePath));
    if (routes.length > 1)
      notes.push(
        `${fn?.name} serves ${routes.map((r) => `${r.method} ${r.resourcePath}`).join(', ')}: its invocations are split evenly between them (per-route counts need API Gateway's detailed metrics).`,
      );
    for (const p of s.points)
      kinds.forEach((kind, i) => {
        const route = routes[i] as { method: string; resourcePath: string };
        if (kind) counts.add(p.timeMs, kind as RouteKind, p.value / routes.length);
        else counts.addUnknown(`${route.method} ${route.resourcePath}`, p.value / routes.length);
      });
  }
  return { counts, notes, capacity };
}
