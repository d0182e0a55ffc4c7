// Types of retry-quota-per-environment.mjs (plain JavaScript: it runs in the function workers, without tsx).
export function inEnvironment<T>(envId: unknown, invoke: () => T): T;
export function forgetEnvironment(envId: unknown): void;
export function patchRetryStrategy(candidate: unknown): boolean;
export function watchForRetryStrategies(): { found(): number; stop(): void };
