import { stringify } from 'yaml';
import {
  clientSecretVariable,
  type EngineScriptRequest,
  type EngineTarget,
  type EngineTokenClient,
  productTemplate,
  requestsPerArrival,
} from './engine-requests.ts';
import type { LoadCheck } from './load-checks.ts';
import type { RequestKind } from './load-profile.ts';
import { phaseSegments } from './phase-segments.ts';
import { categories } from './request-mix.ts';

/**
 * The profile as an Artillery script (YAML): one Artillery phase per profile phase (arrival rates and ramps), the
 * mix as weighted scenarios of one virtual user each, and the latency checks as `ensure` thresholds. Artillery runs
 * it on one machine or distributed (`artillery run-fargate`, `run-lambda`); `techmoda load --import` reads its
 * `--output` report back, with every check evaluated there. `profileSource` is the --profile argument, for the
 * read-back command the header shows.
 */
export function artilleryScript({ profile, profileSource, target, checks, timeoutMs }: EngineScriptRequest): string {
  const ensured = checks.filter((c) => c.phase === undefined && c.unit === 'ms' && c.operator.startsWith('<'));
  const config = {
    target: target.origin,
    // A traced phase becomes one Artillery phase per step, all under the phase's name.
    phases: profile.phases.flatMap((phase) =>
      phaseSegments(phase).map((segment) =>
        segment.from === 0 && segment.to === 0
          ? { name: phase.name, duration: segment.durationSeconds, pause: segment.durationSeconds }
          : {
              name: phase.name,
              duration: segment.durationSeconds,
              arrivalRate: segment.from,
              ...(segment.to === segment.from && phase.rampToRatePerSecond === undefined ? {} : { rampTo: segment.to }),
            },
      ),
    ),
    http: { timeout: timeoutMs / 1000 },
    variables: {
      category: [...categories],
      ...(target.productIds.length > 0 ? { productId: [...target.productIds] } : {}),
    },
    plugins: { ensure: {} },
    ...(ensured.length > 0
      ? {
          ensure: {
            conditions: ensured.map((c) => ({ expression: `http.response_time.${artilleryPercentile(c)} ${c.operator} ${c.value}` })),
          },
        }
      : {}),
  };
  const token = target.tokenClient;
  const scenarios = Object.entries(profile.mix)
    .filter(([, weight]) => (weight ?? 0) > 0)
    .map(([kind, weight]) => ({ name: kind, weight, flow: flowOf(kind as RequestKind, target) }));
  const twoStep = Object.keys(profile.mix).filter((kind) => requestsPerArrival(kind as RequestKind, target) > 1);
  const notEnsured = checks.filter((c) => !ensured.includes(c)).map((c) => c.expression);
  const header = [
    `# techmoda load profile "${profile.name}" as an Artillery script (written by techmoda load --emit artillery).`,
    `# Run: artillery run --output report.json sale.yml   Read back: techmoda load --import report.json --profile ${profileSource}`,
    ...(twoStep.length > 0
      ? [`# Scenarios ${twoStep.join(', ')} send two requests each (a read first), where the profile counts one.`]
      : []),
    ...(notEnsured.length > 0 ? [`# Checks evaluated by techmoda load --import, not by ensure: ${notEnsured.join(' ')}`] : []),
    ...(token
      ? tokenHeader(
          token,
          profile.phases.reduce((sum, p) => sum + p.durationSeconds, 0),
        )
      : []),
  ];
  const script = token ? { config, before: { flow: [tokenRequest(token)] }, scenarios } : { config, scenarios };
  return `${header.join('\n')}\n${stringify(script, { lineWidth: 0 })}`;
}

/**
 * The client-credentials request, once in Artillery's `before` section: what it captures there is shared with every
 * virtual user, so a run asks for one token, as a back office would (docs/planner.md prices that).
 */
function tokenRequest(token: EngineTokenClient): unknown {
  return {
    post: {
      url: token.tokenUrl,
      auth: { user: token.clientId, pass: `{{ $env.${clientSecretVariable} }}` },
      form: { grant_type: 'client_credentials' },
      capture: { json: '$.access_token', as: 'accessToken' },
    },
  };
}

function tokenHeader(token: EngineTokenClient, seconds: number): string[] {
  return [
    `# Writes carry a back-office token from ${token.tokenUrl} (client ${token.clientId}), asked for once before the`,
    `# phases with the secret in ${clientSecretVariable}: export it first. Artillery cannot refresh it during the run.`,
    ...(seconds > 55 * 60
      ? [`# This profile runs ${Math.round(seconds / 60)} min, longer than a default token lifetime (60 min): later writes get 401.`]
      : []),
  ];
}

function artilleryPercentile(check: LoadCheck): string {
  return check.metric === 'p99.9' ? 'p999' : check.metric;
}

function flowOf(kind: RequestKind, target: EngineTarget): unknown[] {
  const base = target.basePath;
  // The token as techmoda load sends it: the raw access token in Authorization (docs/aws-facts.md B 11.3).
  const auth = target.tokenClient ? { authorization: '{{ accessToken }}' } : {};
  const known = target.productIds.length > 0;
  const listFirst = {
    get: {
      url: `${base}/products?limit=1`,
      capture: [
        { json: '$.items[0].id', as: 'productId' },
        { json: '$.items[0].version', as: 'version' },
      ],
    },
  };
  switch (kind) {
    case 'list':
      return [{ get: { url: `${base}/products?limit=20` } }];
    case 'listByCategory':
      return [{ get: { url: `${base}/products?limit=20&category={{ category }}` } }];
    case 'get':
      return known
        ? [{ get: { url: `${base}/products/{{ productId }}` } }]
        : [listFirst, { get: { url: `${base}/products/{{ productId }}` } }];
    case 'create':
      return [
        {
          post: {
            url: `${base}/products`,
            headers: { ...auth, 'idempotency-key': '{{ $randomString(24) }}' },
            json: productTemplate('Artillery product {{ $randomString(6) }}'),
          },
        },
      ];
    case 'update':
      return [
        known ? { get: { url: `${base}/products/{{ productId }}`, capture: { json: '$.version', as: 'version' } } } : listFirst,
        {
          put: {
            url: `${base}/products/{{ productId }}`,
            headers: { ...auth, 'if-match': '"{{ version }}"' },
            json: productTemplate('Artillery update {{ $randomString(6) }}'),
          },
        },
      ];
    case 'delete':
      // Its own product, created first: deleting the catalogue's would make later gets miss.
      return [
        {
          post: {
            url: `${base}/products`,
            headers: { ...auth, 'idempotency-key': '{{ $randomString(24) }}' },
            json: productTemplate('Artillery product to delete {{ $randomString(6) }}'),
            capture: [
              { json: '$.id', as: 'createdId' },
              { json: '$.version', as: 'createdVersion' },
            ],
          },
        },
        { delete: { url: `${base}/products/{{ createdId }}`, headers: { ...auth, 'if-match': '"{{ createdVersion }}"' } } },
      ];
  }
}
