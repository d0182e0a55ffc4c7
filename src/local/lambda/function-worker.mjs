// Worker thread hosting one Lambda function of the local cloud. By default every execution environment shares one
// instance of the handler module: its real initialisation runs once, and each cold start pays the modelled init
// delay (docs/decisions/0002); each environment still draws on its own SDK retry quota (docs/decisions/0005). With
// isolateEnvironments, each environment imports its own instance (module state per environment, as in Lambda) at
// about a third of the throughput; ESM modules cannot be unloaded, so a retired environment's instance is handed to
// the next new environment.
/** @typedef {import('./worker-protocol.ts').ToWorker} ToWorker */
/** @typedef {import('./worker-protocol.ts').FromWorker} FromWorker */
/** @typedef {import('./worker-protocol.ts').WorkerData} WorkerData */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import Module, { register } from 'node:module';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { forgetEnvironment, inEnvironment, watchForRetryStrategies } from './retry-quota-per-environment.mjs';

/** @type {WorkerData} */
const { codeDir, handlerModule, handlerExport, isolateEnvironments } = workerData;
if ((process.env.NODE_OPTIONS ?? '').includes('--enable-source-maps')) process.setSourceMapsEnabled(true);

const ownModules = fileURLToPath(new URL('../../../node_modules/', import.meta.url));
// Code inside this project (the CDK bundles, the examples) resolves the SDK by walking up to our node_modules; only
// code elsewhere needs it provided, and a module hook costs each worker a loader thread, so only then.
if (!codeDir.startsWith(join(ownModules, '..', sep))) provideSdk();

/**
 * The AWS SDK v3 as Lambda's Node.js runtime provides it: imports of `@aws-sdk/*` that the handler's own tree cannot
 * resolve fall back to this project's copy. ESM through a resolve hook; CommonJS `require` through NODE_PATH, set to
 * a directory that holds only the `@aws-sdk` scope (a link), so no other dependency of ours leaks into handlers.
 */
function provideSdk() {
  register('./runtime-sdk-hook.mjs', import.meta.url, { data: { runtimeParent: pathToFileURL(ownModules).href } });
  const runtimeModules = join(ownModules, '.cache', 'techmoda', 'lambda-runtime-modules');
  try {
    mkdirSync(runtimeModules, { recursive: true });
    symlinkSync(join(ownModules, '@aws-sdk'), join(runtimeModules, '@aws-sdk'), 'dir');
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  process.env.NODE_PATH = [process.env.NODE_PATH, runtimeModules].filter(Boolean).join(delimiter);
  Module._initPaths();
}

const modulePath = ['.mjs', '.js', '.cjs'].map((ext) => join(codeDir, handlerModule + ext)).find((path) => existsSync(path));
/** @type {Map<number, Function>} handler per environment */
const handlers = new Map();
/** @type {Function[]} handlers of retired environments, ready for reuse */
const spare = [];
/** @type {Promise<Function> | undefined} the shared instance when environments are not isolated */
let shared;
/** @type {{ found(): number; stop(): void } | undefined} watches the shared instance for retry strategies */
let retryStrategies;

/** Whose SDK retry quota an environment's calls draw on: its own, or the function's (one module, no strategy found). */
const retryQuotaScope = () => (isolateEnvironments || (retryStrategies?.found() ?? 0) > 0 ? 'environment' : 'function');

async function importShared() {
  retryStrategies = watchForRetryStrategies();
  try {
    return await importHandler('');
  } finally {
    retryStrategies.stop();
  }
}

async function importHandler(suffix) {
  if (!modulePath) throw new Error(`Cannot find module '${handlerModule}' in ${codeDir}`);
  const module = await import(`${pathToFileURL(modulePath).href}${suffix}`);
  const handler = module[handlerExport];
  if (typeof handler !== 'function') throw new Error(`${handlerModule}.${handlerExport} is not a function`);
  return handler;
}

async function initialise(envId) {
  if (!isolateEnvironments) {
    const fresh = shared === undefined;
    shared ??= importShared();
    handlers.set(envId, await shared);
    return fresh;
  }
  const reused = spare.pop();
  if (reused) {
    handlers.set(envId, reused);
    return false;
  }
  handlers.set(envId, await importHandler(`?environment=${envId}`));
  return true;
}

function contextFor(message) {
  const { context } = message;
  return { ...context, callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()) };
}

function callHandler(handler, event, context) {
  // Callback-style handlers (event, context, callback) are still allowed on Node.js runtimes before 24.
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const maybe = handler(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (maybe && typeof maybe.then === 'function') maybe.then(resolve, reject);
    });
  }
  return handler(event, context);
}

function describeError(error) {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, stack: error.stack };
  return { errorType: 'Error', errorMessage: String(error) };
}

parentPort.on('message', async (message) => {
  if (message.type === 'init') {
    try {
      const started = performance.now();
      const fresh = await initialise(message.envId);
      const initMs = performance.now() - started;
      parentPort.postMessage({ type: 'initialised', envId: message.envId, ok: true, fresh, initMs, retryQuota: retryQuotaScope() });
    } catch (error) {
      parentPort.postMessage({ type: 'initialised', envId: message.envId, ok: false, error: describeError(error) });
    }
  } else if (message.type === 'invoke') {
    try {
      const handler = handlers.get(message.envId);
      if (!handler) throw new Error(`environment ${message.envId} is not initialised`);
      const call = () => callHandler(handler, message.event, contextFor(message));
      const value = await (isolateEnvironments ? call() : inEnvironment(message.envId, call));
      parentPort.postMessage({ type: 'result', id: message.id, ok: true, value: value === undefined ? null : value });
    } catch (error) {
      parentPort.postMessage({ type: 'result', id: message.id, ok: false, error: describeError(error) });
    }
  } else if (message.type === 'memory') {
    if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
    const snapshot = message.snapshotDir
      ? writeHeapSnapshot(
          join(message.snapshotDir, `worker-${process.env.AWS_LAMBDA_FUNCTION_NAME ?? handlerModule}-${Date.now()}.heapsnapshot`),
        )
      : undefined;
    const { used_heap_size, total_heap_size, external_memory } = getHeapStatistics();
    parentPort.postMessage({
      type: 'memory',
      id: message.id,
      heap: { usedBytes: used_heap_size, totalBytes: total_heap_size, externalBytes: external_memory },
      snapshot,
    });
  } else if (message.type === 'retire') {
    const handler = handlers.get(message.envId);
    handlers.delete(message.envId);
    forgetEnvironment(message.envId);
    if (isolateEnvironments && handler && !message.broken) spare.push(handler);
  }
});

// A handler's stray rejection must not kill the function's other environments (Lambda would reset only one).
process.on('unhandledRejection', (reason) => console.error('Unhandled rejection in function code:', reason));
