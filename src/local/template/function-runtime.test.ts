import { describe, expect, it } from 'vitest';
import { nodeRuntimeMajor, runtimeMismatchLine } from './function-runtime.ts';

describe('the functions’ runtime beside the Node that runs them', () => {
  it('reads the major version of a Node.js runtime and nothing else', () => {
    expect(nodeRuntimeMajor('nodejs24.x')).toBe(24);
    expect(nodeRuntimeMajor('nodejs18.x')).toBe(18);
    expect(nodeRuntimeMajor('python3.12')).toBeUndefined();
    expect(nodeRuntimeMajor('nodejs')).toBeUndefined();
  });

  it('says in one line when the template asks for another line than the host runs, and is silent when they match', () => {
    expect(runtimeMismatchLine(['nodejs24.x', 'nodejs24.x'], 'v20.20.2')).toBe(
      'Functions run on Node 20.20 here; the template asks for nodejs24.x (docs/aws-fidelity.md, "Node versions")',
    );
    expect(runtimeMismatchLine(['nodejs24.x', 'nodejs22.x'], 'v24.22.3')).toMatch(
      /Node 24\.22 here; the template asks for nodejs22\.x, nodejs24\.x/,
    );
    expect(runtimeMismatchLine(['nodejs24.x'], 'v24.22.3')).toBeUndefined();
    expect(runtimeMismatchLine([], 'v20.20.2')).toBeUndefined();
  });
});
