// Module resolve hook of the local Lambda runtime's workers: as in Lambda's Node.js runtime, a handler can import the
// AWS SDK v3 (`@aws-sdk/*`) without bundling it. When the handler's own tree has no copy, the import resolves to
// this project's, as if the runtime provided it.
let runtimeParent = '';

export function initialize(data) {
  runtimeParent = data.runtimeParent;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!specifier.startsWith('@aws-sdk/') || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: runtimeParent });
  }
}
