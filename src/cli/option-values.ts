import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from '../common/usage-error.ts';

type OptionsDeclaration = NonNullable<ParseArgsConfig['options']>;

/** A whole number option within [min, max]; UsageError naming the option otherwise. */
export function integerOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** A positive number option (fractions allowed) within [min, max]. */
export function numberOption(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** A duration option such as `15m`, `90s` or `1h`, in whole seconds within [0, maxSeconds]. */
export function durationOption(name: string, raw: string | undefined, maxSeconds: number): number {
  if (raw === undefined) return 0;
  const match = /^(\d+)(s|m|h)$/.exec(raw);
  const seconds = match ? Number(match[1]) * { s: 1, m: 60, h: 3600 }[match[2] as 's' | 'm' | 'h'] : Number.NaN;
  if (!(seconds >= 0 && seconds <= maxSeconds))
    throw new UsageError(`--${name} takes a duration such as 15m, 90s or 1h (at most ${maxSeconds / 3600} h), got "${raw}"`);
  return seconds;
}

/** `-c key=value` pairs as a context object. */
export function contextOptions(pairs: readonly string[] | undefined): Record<string, string> {
  const context: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`-c takes key=value, got "${pair}"`);
    context[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return context;
}

/**
 * The command's `--options`, parsed strictly and typed from their declaration (string, boolean, repeatable); an
 * unknown option, a missing value or a stray positional is a UsageError.
 */
export function parseOptions<const T extends OptionsDeclaration>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
