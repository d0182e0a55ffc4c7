import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../common/app-error.ts';

/** Kinds of request a profile can mix. */
export const requestKinds = ['list', 'listByCategory', 'get', 'create', 'update', 'delete'] as const;
/** One kind of request. */
export type RequestKind = (typeof requestKinds)[number];

const mixSchema = z
  .strictObject(
    Object.fromEntries(requestKinds.map((kind) => [kind, z.number().min(0).optional()])) as Record<RequestKind, z.ZodOptional<z.ZodNumber>>,
  )
  .refine((mix) => Object.values(mix).some((w) => (w ?? 0) > 0), 'needs at least one kind with a weight above 0');

const phaseSchema = z.strictObject({
  name: z.string().min(1).max(40),
  durationSeconds: z
    .number()
    .positive()
    .max(24 * 3600),
  /** Requests per second at the start of the phase. */
  ratePerSecond: z.number().min(0).max(100_000),
  /** When set, the rate moves linearly to this by the end of the phase. */
  rampToRatePerSecond: z.number().min(0).max(100_000).optional(),
  /** A phase of a traced profile: the mean rate of each step of `stepSeconds` (set from the file's `trace`). */
  stepSeconds: z.number().int().positive().max(3_600).optional(),
  rates: z.array(z.number().min(0).max(100_000)).max(86_400).optional(),
  /** A traced phase's own mix per step (null: the profile's mix), aligned with `rates`. */
  mixes: z.array(mixSchema.nullable()).max(86_400).optional(),
});

/** A load profile: phases with rates and ramps, and a weighted request mix. */
export const loadProfileSchema = z.strictObject({
  name: z.string().min(1).max(60).default('custom'),
  description: z.string().max(500).optional(),
  phases: z.array(phaseSchema).min(1).max(100),
  mix: mixSchema,
});

/**
 * The trace form of a profile (what `techmoda profile` writes from CloudWatch or access logs): the rate of every step
 * of a fixed length, and named spans of steps (baseline, ramp, peak, after), so reports stay readable. It is read
 * into ordinary phases whose rates are the steps' (src/load/phase-segments.ts).
 */
/**
 * Provisioned capacity of a table (or one of its GSIs) when the history began, as CloudWatch's
 * `Provisioned*CapacityUnits` showed it: where `techmoda plan --warm-start` starts that table instead of computing it.
 */
const startCapacitySchema = z.strictObject({
  table: z.string().min(1),
  index: z.string().min(1).optional(),
  read: z.number().int().positive().optional(),
  write: z.number().int().positive().optional(),
});

const tracedProfileSchema = z.strictObject({
  name: z.string().min(1).max(60).default('trace'),
  description: z.string().max(2_000).optional(),
  trace: z.strictObject({
    /** When the first step began (ISO-8601), for the reader; runs start at the trace's first step. */
    start: z.string().optional(),
    stepSeconds: z.number().int().positive().max(3_600),
    /** Requests per second, the mean of each step. */
    rates: z.array(z.number().min(0).max(100_000)).min(1).max(86_400),
    /** Each step's own mix (null: the overall `mix`), when `techmoda profile --mix-per-step` wrote them. */
    mixes: z.array(mixSchema.nullable()).max(86_400).optional(),
  }),
  phases: z
    .array(z.strictObject({ name: z.string().min(1).max(40), steps: z.number().int().positive() }))
    .min(1)
    .max(100),
  mix: mixSchema,
  startCapacity: z.array(startCapacitySchema).max(100).optional(),
});

/** A traced profile as ordinary phases: each span's steps become the rates of its phase. */
function phasesOfTrace(traced: z.output<typeof tracedProfileSchema>, source: string) {
  const { stepSeconds, rates, mixes } = traced.trace;
  const covered = traced.phases.reduce((sum, p) => sum + p.steps, 0);
  if (covered !== rates.length)
    throw new ProfileError(`profile ${source} is invalid: phases: cover ${covered} steps, the trace has ${rates.length}`);
  if (mixes && mixes.length !== rates.length)
    throw new ProfileError(`profile ${source} is invalid: trace.mixes: ${mixes.length} mixes for ${rates.length} steps`);
  let at = 0;
  return traced.phases.map((phase) => {
    const own = rates.slice(at, at + phase.steps);
    const ownMixes = mixes?.slice(at, at + phase.steps);
    at += phase.steps;
    return {
      name: phase.name,
      durationSeconds: phase.steps * stepSeconds,
      ratePerSecond: own[0] ?? 0,
      stepSeconds,
      rates: own,
      ...(ownMixes ? { mixes: ownMixes } : {}),
    };
  });
}

/** A validated load profile (a traced one may say what capacity its tables started with). */
export type LoadProfile = z.output<typeof loadProfileSchema> & { readonly startCapacity?: readonly StartCapacity[] | undefined };
/** Capacity a table or GSI had when a traced profile's history began. */
export type StartCapacity = z.output<typeof startCapacitySchema>;
/** One phase of a profile. */
export type LoadPhase = LoadProfile['phases'][number];

/** A profile file that cannot be used; the message names the field. */
export class ProfileError extends AppError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** Built-in profiles. */
export const builtInProfiles: Readonly<Record<string, LoadProfile>> = {
  lab: {
    name: 'lab',
    description:
      "The lab's load script, at the rates it meant: 30 s at 5, 30 s at 20, 60 s at 100, 30 s at 5 requests per second, all GET /products.",
    phases: [
      { name: 'low', durationSeconds: 30, ratePerSecond: 5 },
      { name: 'medium', durationSeconds: 30, ratePerSecond: 20 },
      { name: 'spike', durationSeconds: 60, ratePerSecond: 100 },
      { name: 'cool-down', durationSeconds: 30, ratePerSecond: 5 },
    ],
    mix: { list: 1 },
  },
  'flash-sale': {
    name: 'flash-sale',
    description: 'A baseline, a tenfold jump within a minute, held, then back; mostly reads with some creates and updates.',
    phases: [
      { name: 'baseline', durationSeconds: 60, ratePerSecond: 20 },
      { name: 'jump', durationSeconds: 60, ratePerSecond: 20, rampToRatePerSecond: 200 },
      { name: 'sale', durationSeconds: 120, ratePerSecond: 200 },
      { name: 'after', durationSeconds: 60, ratePerSecond: 20 },
    ],
    mix: { get: 55, list: 15, listByCategory: 20, create: 5, update: 5 },
  },
};

/** Whether any phase of the profile creates, updates or deletes: its writes then need the stage's token. */
export function profileWrites(profile: LoadProfile): boolean {
  const mixes = [profile.mix, ...profile.phases.flatMap((p) => p.mixes ?? []).filter((m) => m !== null)];
  return mixes.some((mix) => (mix.create ?? 0) + (mix.update ?? 0) + (mix.delete ?? 0) > 0);
}

/** Validates a profile object; ProfileError naming the first problems by field path. */
export function parseProfile(raw: unknown, source: string): LoadProfile {
  if (typeof raw === 'object' && raw !== null && 'trace' in raw) {
    const traced = tracedProfileSchema.safeParse(raw);
    if (!traced.success) throw new ProfileError(`profile ${source} is invalid: ${describeIssues(traced.error.issues)}`);
    const { trace: _trace, phases: _spans, ...rest } = traced.data;
    return { ...rest, phases: phasesOfTrace(traced.data, source) };
  }
  const parsed = loadProfileSchema.safeParse(raw);
  if (parsed.success) {
    const stepped = parsed.data.phases.find(
      (p) =>
        (p.rates === undefined) !== (p.stepSeconds === undefined) ||
        (p.rates !== undefined && p.rates.length !== Math.ceil(p.durationSeconds / (p.stepSeconds ?? 1) - 1e-9)),
    );
    if (stepped)
      throw new ProfileError(`profile ${source} is invalid: phase ${stepped.name}: rates need stepSeconds, one rate per step of the phase`);
    return parsed.data;
  }
  throw new ProfileError(`profile ${source} is invalid: ${describeIssues(parsed.error.issues)}`);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const problems = issues.slice(0, 5).map((issue) => {
    const field = issue.path.map(String).join('.') || '(profile)';
    return issue.code === 'unrecognized_keys'
      ? `${field ? `${field}: ` : ''}unknown field ${issue.keys.join(', ')}`
      : `${field}: ${issue.message}`;
  });
  return problems.join('; ');
}

/** A built-in profile by name, or a YAML/JSON file. */
export function loadProfile(nameOrFile: string): LoadProfile {
  const builtIn = builtInProfiles[nameOrFile];
  if (builtIn) return builtIn;
  let text: string;
  try {
    text = readFileSync(nameOrFile, 'utf8');
  } catch {
    throw new ProfileError(
      `no built-in profile "${nameOrFile}" (built-in: ${Object.keys(builtInProfiles).join(', ')}) and no readable file by that name`,
    );
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(nameOrFile) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ProfileError(
      `profile ${nameOrFile} is not valid ${/\.json$/i.test(nameOrFile) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  return parseProfile(raw, nameOrFile);
}
