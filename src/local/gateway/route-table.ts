import type { LocalRoute } from '../../scaling/stack-model.ts';

/** A matched route and its path parameters. */
export interface RouteMatch {
  readonly route: LocalRoute;
  readonly pathParameters: Record<string, string> | null;
}

interface CompiledRoute {
  readonly route: LocalRoute;
  readonly segments: readonly string[];
}

/** Matches request paths against the REST API's resources (`{param}` and greedy `{proxy+}`), most literal first. */
export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly LocalRoute[]) {
    this.routes = routes
      .map((route) => ({ route, segments: route.resourcePath.split('/').filter(Boolean) }))
      .sort((a, b) => literalCount(b.segments) - literalCount(a.segments));
  }

  /** The route for `method path`, or undefined (API Gateway answers 403 Missing Authentication Token). */
  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const compiled of this.routes) {
      if (compiled.route.method !== method && compiled.route.method !== 'ANY') continue;
      const parameters = matchSegments(compiled.segments, parts);
      if (parameters) return { route: compiled.route, pathParameters: Object.keys(parameters).length > 0 ? parameters : null };
    }
    return undefined;
  }
}

function matchSegments(pattern: readonly string[], parts: readonly string[]): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as string;
    const greedy = /^\{(.+)\+\}$/.exec(segment);
    if (greedy) {
      if (i >= parts.length) return undefined;
      parameters[greedy[1] as string] = parts.slice(i).map(decode).join('/');
      return parameters;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    const parameter = /^\{(.+)\}$/.exec(segment);
    if (parameter) parameters[parameter[1] as string] = decode(part);
    else if (segment !== part) return undefined;
  }
  return parts.length === pattern.length ? parameters : undefined;
}

function literalCount(segments: readonly string[]): number {
  return segments.filter((s) => !s.startsWith('{')).length * 100 + segments.length;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
