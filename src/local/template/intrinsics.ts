import { AppError } from '../../common/app-error.ts';

/** What a template's intrinsic functions resolve against. */
export interface IntrinsicContext {
  /** `Ref` of a logical id or pseudo parameter. */
  ref(name: string): string | undefined;
  /** `Fn::GetAtt` of a logical id. */
  getAtt(logicalId: string, attribute: string): string | undefined;
}

/** A template value that cannot be resolved locally. */
export class UnresolvableTemplateValueError extends AppError {
  constructor(where: string, detail: string) {
    super('TEMPLATE_UNRESOLVABLE', `Cannot resolve ${where} locally: ${detail}`);
  }
}

/**
 * Resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select and Fn::Split to local values, recursively. Other
 * functions are refused with the path of the value, so an unsupported template fails loudly.
 */
export function resolveIntrinsics(value: unknown, context: IntrinsicContext, where = 'value'): unknown {
  if (Array.isArray(value)) return value.map((item, i) => resolveIntrinsics(item, context, `${where}[${i}]`));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
    return resolveFunction(key, argument, context, where);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveIntrinsics(v, context, `${where}.${k}`)]));
}

/** Resolves a value that must end up a string. */
export function resolveString(value: unknown, context: IntrinsicContext, where: string): string {
  const resolved = resolveIntrinsics(value, context, where);
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
  throw new UnresolvableTemplateValueError(where, `expected a string, got ${JSON.stringify(resolved)}`);
}

function resolveFunction(name: string, argument: unknown, context: IntrinsicContext, where: string): unknown {
  switch (name) {
    case 'Ref': {
      const result = context.ref(String(argument));
      if (result === undefined) throw new UnresolvableTemplateValueError(where, `Ref ${String(argument)}`);
      return result;
    }
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split(/\.(.*)/);
      const result = context.getAtt(String(logicalId), String(attribute));
      if (result === undefined) throw new UnresolvableTemplateValueError(where, `Fn::GetAtt ${logicalId}.${attribute}`);
      return result;
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      const resolved = resolveIntrinsics(parts, context, where) as unknown[];
      return resolved.map(String).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = argument as [unknown, unknown];
      const items = resolveIntrinsics(list, context, where) as unknown[];
      return items[Number(resolveIntrinsics(index, context, where))];
    }
    case 'Fn::Split': {
      const [separator, source] = argument as [string, unknown];
      return resolveString(source, context, where).split(separator);
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [argument as string, {}];
      return template.replace(/\$\{([^}!]+)\}/g, (_match, expression: string) => {
        if (expression in variables) return resolveString(variables[expression], context, where);
        const [logicalId, attribute] = expression.split(/\.(.*)/);
        const result = attribute ? context.getAtt(logicalId as string, attribute) : context.ref(expression);
        if (result === undefined) throw new UnresolvableTemplateValueError(where, `Fn::Sub \${${expression}}`);
        return result;
      });
    }
    default:
      throw new UnresolvableTemplateValueError(where, `${name} is not supported by techmoda local`);
  }
}
