/**
 * The local cloud runs every function on the Node.js that runs it (a worker thread per function): a `nodejsNN.x`
 * runtime is honoured by version line only, and other languages not at all.
 */

/** The major version of a `nodejsNN.x` runtime; undefined for any other runtime. */
export function nodeRuntimeMajor(runtime: string): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime);
  return match ? Number(match[1]) : undefined;
}

/**
 * One line for the start-up summary when the template's runtimes are not the line of the Node running the functions
 * here (`Functions run on Node 20.20 here; the template asks for nodejs24.x`); undefined when they all match.
 */
export function runtimeMismatchLine(runtimes: readonly string[], hostVersion: string = process.version): string | undefined {
  const [major = '', minor = ''] = hostVersion.replace(/^v/, '').split('.');
  const asked = [...new Set(runtimes)].sort();
  if (asked.every((runtime) => nodeRuntimeMajor(runtime) === Number(major))) return undefined;
  return `Functions run on Node ${major}.${minor} here; the template asks for ${asked.join(', ')} (docs/aws-fidelity.md, "Node versions")`;
}
