/**
 * SAM's Globals (A6): the properties a template sets once for every function, API or simple table. Which keys each
 * section may hold, and how they merge into a resource (samtranslator's globals.py): for primitives, and where the
 * types differ, the resource's value wins; maps merge recursively; lists concatenate, Globals first.
 */

/** Globals keys SAM refuses per section; every other property of the resource type is allowed. */
const refused: Record<string, readonly string[]> = {
  Function: ['Role', 'Policies', 'FunctionName', 'Events'],
  Api: ['StageName', 'DefinitionBody'],
};
const onlyAllowed: Record<string, readonly string[]> = { SimpleTable: ['SSESpecification'] };

/** Globals section name -> resource type. */
export const globalsSections: Record<string, string> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  SimpleTable: 'AWS::Serverless::SimpleTable',
};

/** Checks a Globals section; returns the message of the first problem, as SAM words it, or undefined. */
export function globalsProblem(
  globals: Record<string, unknown>,
  supportedBySection: Record<string, readonly string[]>,
): string | undefined {
  for (const [section, value] of Object.entries(globals)) {
    if (!(section in globalsSections))
      return `'Globals' section is invalid. '${section}' is not supported. Must be one of the following values - ${JSON.stringify(Object.keys(globalsSections))}`;
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `'Globals' section is invalid. Value of ${section} must be a dictionary`;
    const allowed = onlyAllowed[section] ?? (supportedBySection[section] ?? []).filter((key) => !(refused[section] ?? []).includes(key));
    for (const key of Object.keys(value))
      if (!allowed.includes(key))
        return `'Globals' section is invalid. '${key}' is not a supported property of '${section}'. Must be one of the following values - ${JSON.stringify(allowed)}`;
  }
  return undefined;
}

/** A resource's properties with the Globals of its section merged in. */
export function mergeGlobals(global: unknown, local: unknown): unknown {
  if (global === undefined) return local;
  if (local === undefined) return structuredClone(global);
  if (Array.isArray(global) && Array.isArray(local)) return [...structuredClone(global), ...local];
  if (isMap(global) && isMap(local)) {
    const merged: Record<string, unknown> = { ...structuredClone(global) };
    for (const [key, value] of Object.entries(local)) merged[key] = mergeGlobals(global[key], value);
    return merged;
  }
  return local;
}

/** A map that is not an intrinsic function: intrinsics (`{Ref}`, `{Fn::Sub}` ...) merge as primitives. */
function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return !(keys.length === 1 && (keys[0] === 'Ref' || keys[0]?.startsWith('Fn::')));
}
