/**
 * Lambda's Node.js runtimes and the dates AWS deprecates them, blocks creating functions on them, and blocks
 * updating them (docs/aws-facts.md B 10.1, 10.2). Deprecated runtimes still execute; a new deployment of a function
 * on a runtime past its create block fails.
 */
export interface RuntimeDates {
  readonly deprecated: string;
  readonly blockCreate: string | undefined;
  readonly blockUpdate: string | undefined;
}

export const nodeRuntimes: Readonly<Record<string, RuntimeDates>> = {
  'nodejs24.x': { deprecated: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
  'nodejs22.x': { deprecated: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  'nodejs20.x': { deprecated: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  'nodejs18.x': { deprecated: '2025-09-01', blockCreate: undefined, blockUpdate: undefined },
  'nodejs16.x': { deprecated: '2024-06-12', blockCreate: undefined, blockUpdate: undefined },
  'nodejs14.x': { deprecated: '2023-12-04', blockCreate: '2024-01-09', blockUpdate: '2024-02-08' },
};

/** The newest supported runtime, to recommend. */
export const recommendedNodeRuntime = 'nodejs24.x';
