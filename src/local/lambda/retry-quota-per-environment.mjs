// In Lambda every execution environment is a process with its own copy of the handler module, so its own AWS SDK
// client and its own retry quota (500 tokens, 5 per throttling retry: docs/aws-facts.md B 8.4). The local cloud's
// environments of a function share one module instance (docs/decisions/0002); this module gives each of them its own
// quota inside that instance (docs/decisions/0005). An SDK retry strategy keeps its quota in one field, `capacity`:
// the field becomes an accessor that reads and writes the quota of the environment whose invocation is running
// (AsyncLocalStorage, carried through the SDK's awaits and backoff timers). Everything else stays shared.
//
// The strategy is reached where the code names or exports it: a bundle built with esbuild's keepNames (the stack's
// bundles, `sam build`) names each class through Object.defineProperty as it is defined, and the AWS SDK that the
// runtime provides is CommonJS, whose exports pass through require. Code that does neither keeps one quota per
// function, and the worker says so.
import { AsyncLocalStorage } from 'node:async_hooks';
import Module from 'node:module';

const running = new AsyncLocalStorage();
/** @type {Map<unknown, WeakMap<object, number>>} each environment's quota, per strategy instance */
const quotas = new Map();
/** @type {WeakSet<object>} prototypes already given per-environment quotas */
const patchedPrototypes = new WeakSet();
/** @type {WeakSet<object>} strategy instances whose `capacity` is already per environment */
const perEnvironment = new WeakSet();
// The methods of @smithy/core's StandardRetryStrategy (util-retry) that touch `capacity`; each first makes it per
// environment on the instance it runs on.
const quotaMethods = ['acquireInitialRetryToken', 'refreshRetryTokenForRetry', 'recordSuccess', 'getCapacity'];

/** Runs `invoke` as environment `envId`: SDK calls made inside it draw on that environment's retry quota. */
export function inEnvironment(envId, invoke) {
  return running.run(envId, invoke);
}

/** A retired environment's quotas go with it; a new environment starts full, as a new process would. */
export function forgetEnvironment(envId) {
  quotas.delete(envId);
}

function quotaAccessor(strategy) {
  if (perEnvironment.has(strategy)) return;
  perEnvironment.add(strategy);
  const initial = strategy.capacity;
  Object.defineProperty(strategy, 'capacity', {
    configurable: true,
    enumerable: true,
    get() {
      return quotas.get(running.getStore())?.get(this) ?? initial;
    },
    set(value) {
      const envId = running.getStore();
      const own = quotas.get(envId) ?? new WeakMap();
      quotas.set(envId, own);
      own.set(this, value);
    },
  });
}

/** Gives a retry strategy class per-environment quotas; false when it is not one (or is already done). */
export function patchRetryStrategy(candidate) {
  const prototype = typeof candidate === 'function' ? candidate.prototype : undefined;
  if (!prototype || patchedPrototypes.has(prototype)) return false;
  if (!quotaMethods.every((name) => typeof prototype[name] === 'function')) return false;
  patchedPrototypes.add(prototype);
  for (const name of quotaMethods) {
    const original = prototype[name];
    prototype[name] = function (...args) {
      quotaAccessor(this);
      return original.apply(this, args);
    };
  }
  return true;
}

/**
 * Watches the module about to be imported for retry strategies; returns how many it found so far (a bundle may
 * define its classes lazily, on first use, so the count can grow after the import).
 */
export function watchForRetryStrategies() {
  let found = 0;
  const define = Object.defineProperty;
  // Bundles capture Object.defineProperty once, as they start; the spy stays in the copies they took.
  Object.defineProperty = function defineProperty(target, key, descriptor) {
    const defined = define(target, key, descriptor);
    if (key === 'name' && descriptor?.value === 'StandardRetryStrategy' && patchRetryStrategy(target)) found++;
    return defined;
  };
  const load = Module._load;
  Module._load = function (...args) {
    const exports = load.apply(this, args);
    if (exports && typeof exports === 'object' && patchRetryStrategy(exports.StandardRetryStrategy)) found++;
    return exports;
  };
  return {
    found: () => found,
    /** Later code gets the real functions; copies already taken keep watching. */
    stop() {
      Object.defineProperty = define;
      Module._load = load;
    },
  };
}
