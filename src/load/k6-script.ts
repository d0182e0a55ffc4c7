import { clientSecretVariable, type EngineScriptRequest, productTemplate, requestsPerArrival } from './engine-requests.ts';
import type { LoadCheck } from './load-checks.ts';
import type { RequestKind } from './load-profile.ts';
import { allOutcomes } from './load-results.ts';
import { peakRateOf, phaseSegments, requestsBetween } from './phase-segments.ts';
import { categories } from './request-mix.ts';

/** A phase's k6 scenario name: k6 allows letters, digits, `_` and `-`. */
export const k6ScenarioName = (phaseName: string) => phaseName.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * The profile as a k6 script: one `ramping-arrival-rate` scenario per phase (started at the phase's offset, so every
 * request is tagged with its phase), the mix picked per iteration, each request's outcome counted under
 * `techmoda_outcomes`, and the checks as `thresholds`. Thresholds that always pass (`count>=0`) put each phase's
 * counts and latencies into `--summary-export`, which otherwise holds only totals.
 */
export function k6Script({ profile, profileSource, target, checks, timeoutMs }: EngineScriptRequest): string {
  const timeoutS = Math.ceil(timeoutMs / 1000);
  let offset = 0;
  const scenarios: Record<string, unknown> = {};
  for (const phase of profile.phases) {
    const peak = peakRateOf(phase);
    const segments = phaseSegments(phase);
    scenarios[k6ScenarioName(phase.name)] = {
      executor: 'ramping-arrival-rate',
      startTime: `${offset}s`,
      startRate: phase.ratePerSecond,
      timeUnit: '1s',
      preAllocatedVUs: Math.ceil(peak / 2) + 1,
      maxVUs: Math.min(20_000, Math.ceil(peak * timeoutS) + 10),
      // A traced phase holds each step's rate: a jump (0 s) to it, then the step at it.
      stages:
        segments.length === 1
          ? [{ target: phase.rampToRatePerSecond ?? phase.ratePerSecond, duration: `${phase.durationSeconds}s` }]
          : segments.flatMap((s) => [
              { target: s.from, duration: '0s' },
              { target: s.to, duration: `${s.durationSeconds}s` },
            ]),
      gracefulStop: `${timeoutS}s`,
    };
    offset += phase.durationSeconds;
  }
  const planned = profile.phases.reduce((sum, p) => sum + requestsBetween(p, 0, p.durationSeconds), 0);
  const thresholds: Record<string, string[]> = {};
  const add = (metric: string, expression: string) => {
    thresholds[metric] = [...(thresholds[metric] ?? []), expression];
  };
  const unmapped: string[] = [];
  for (const check of checks) {
    const tag = check.phase === undefined ? '' : `{scenario:${k6ScenarioName(check.phase)}}`;
    const operator = check.operator === '=' ? '==' : check.operator;
    if (check.unit === 'ms') add(`http_req_duration${tag}`, `${k6Aggregation(check.metric)}${operator}${check.value}`);
    else if (check.metric === 'errors' && check.unit === '%') add(`http_req_failed${tag}`, `rate${operator}${check.value / 100}`);
    else if (check.unit === 'count') add(`techmoda_${check.metric}${tag}`, `count${operator}${check.value}`);
    else if (check.metric === 'rate' && check.unit === '%' && check.phase === undefined && check.operator.startsWith('>'))
      add('dropped_iterations', `count<=${Math.floor(planned * (1 - check.value / 100))}`);
    else unmapped.push(check.expression);
  }
  for (const phase of profile.phases) {
    const scenario = k6ScenarioName(phase.name);
    add(`http_reqs{scenario:${scenario}}`, 'count>=0');
    add(`http_req_duration{scenario:${scenario}}`, 'max>=0');
    for (const outcome of allOutcomes) add(`techmoda_outcomes{scenario:${scenario},outcome:${outcome}}`, 'count>=0');
  }
  const mix = Object.entries(profile.mix).filter(([, w]) => (w ?? 0) > 0);
  const twoStep = mix.map(([kind]) => kind).filter((kind) => requestsPerArrival(kind as RequestKind, target) > 1);
  const token = target.tokenClient;
  const options = { summaryTrendStats: ['med', 'p(90)', 'p(99)', 'p(99.9)', 'max', 'count'], scenarios, thresholds };
  return `// techmoda load profile "${profile.name}" as a k6 script (written by techmoda load --emit k6).
// Run: k6 run --out json=results.ndjson --summary-export summary.json sale.js   (-e TARGET=URL for another stage)
// Read back: techmoda load --import results.ndjson --profile ${profileSource}   (or summary.json: totals and per-phase figures)
${twoStep.length > 0 ? `// Kinds ${twoStep.join(', ')} send two requests each (a read first), where the profile counts one.\n` : ''}${unmapped.length > 0 ? `// Checks evaluated by techmoda load --import, not by thresholds: ${unmapped.join(' ')}\n` : ''}${
  token
    ? `// Writes carry a back-office token from ${token.tokenUrl} (client ${token.clientId}), with the secret in ${clientSecretVariable}:
// export it first. setup() asks for one token; a VU asks for the next a minute before it expires.\n`
    : ''
}import encoding from 'k6/encoding';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';

const BASE = (__ENV.TARGET || ${JSON.stringify(`${target.origin}${target.basePath}`)}).replace(/\\/$/, '');
const PRODUCT_IDS = ${JSON.stringify(target.productIds)};
const CATEGORIES = ${JSON.stringify(categories)};
const MIX = ${JSON.stringify(mix)};
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);
const PARAMS = { timeout: '${timeoutS}s', headers: { 'content-type': 'application/json' } };
const TOKEN_URL = ${JSON.stringify(token?.tokenUrl ?? '')};
const CLIENT_ID = ${JSON.stringify(token?.clientId ?? '')};
const outcomes = new Counter('techmoda_outcomes');
const counters = {
  errors: new Counter('techmoda_errors'),
  throttled: new Counter('techmoda_throttled'),
  timeouts: new Counter('techmoda_timeouts'),
  status4xx: new Counter('techmoda_status4xx'),
  status5xx: new Counter('techmoda_status5xx'),
};

// 4xx other than 429 are answers, not failures (a 404, a stale If-Match): http_req_failed counts 5xx, 429 and no answer.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 428 }, { min: 430, max: 499 }));

export const options = ${JSON.stringify(options, null, 2)};

// The client-credentials grant, as techmoda load asks for it. The secret is read here, never written in the script.
function requestToken() {
  const secret = __ENV.${clientSecretVariable};
  if (!secret) exec.test.abort('${clientSecretVariable} is not set: the machine client ' + CLIENT_ID + ' needs its secret');
  const res = http.post(TOKEN_URL, { grant_type: 'client_credentials' }, {
    headers: { authorization: 'Basic ' + encoding.b64encode(CLIENT_ID + ':' + secret) },
    tags: { name: 'token' },
  });
  if (res.status !== 200) exec.test.abort('the token endpoint ' + TOKEN_URL + ' answered ' + res.status + ': ' + res.body);
  return { token: res.json('access_token'), expiresAtMs: Date.now() + res.json('expires_in') * 1000 };
}

export function setup() {
  return TOKEN_URL ? requestToken() : {};
}

let current;
// Writes' headers: the raw access token in Authorization, renewed a minute before it expires.
function writeHeaders(data, headers) {
  if (!TOKEN_URL) return headers;
  current = current || data;
  if (Date.now() > current.expiresAtMs - 60000) current = requestToken();
  return { ...headers, authorization: current.token };
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const product = (name) => JSON.stringify(Object.assign(${JSON.stringify(productTemplate(''))}, { name: name + ' ' + Math.floor(Math.random() * 1e6) }));

function someProduct() {
  if (PRODUCT_IDS.length > 0) return { id: pick(PRODUCT_IDS) };
  const listing = http.get(BASE + '/products?limit=1', PARAMS);
  const item = listing.status === 200 ? listing.json('items.0') : undefined;
  return item ? { id: item.id, version: item.version } : undefined;
}

function send(kind, data) {
  switch (kind) {
    case 'list':
      return http.get(BASE + '/products?limit=20', PARAMS);
    case 'listByCategory':
      return http.get(BASE + '/products?limit=20&category=' + pick(CATEGORIES), PARAMS);
    case 'get': {
      const found = someProduct();
      return found ? http.get(BASE + '/products/' + encodeURIComponent(found.id), PARAMS) : undefined;
    }
    case 'create':
      return http.post(BASE + '/products', product('k6 product'), {
        ...PARAMS,
        headers: writeHeaders(data, { ...PARAMS.headers, 'idempotency-key': 'k6-' + Date.now() + '-' + Math.random() }),
      });
    case 'update': {
      const found = someProduct();
      if (!found) return undefined;
      let version = found.version;
      if (version === undefined) {
        const read = http.get(BASE + '/products/' + encodeURIComponent(found.id), PARAMS);
        if (read.status !== 200) return read;
        version = read.json('version');
      }
      return http.put(BASE + '/products/' + encodeURIComponent(found.id), product('k6 update'), {
        ...PARAMS,
        headers: writeHeaders(data, { ...PARAMS.headers, 'if-match': '"' + version + '"' }),
      });
    }
    case 'delete': {
      // Its own product, created first: deleting the catalogue's would make later gets miss.
      const created = http.post(BASE + '/products', product('k6 product to delete'), {
        ...PARAMS,
        headers: writeHeaders(data, { ...PARAMS.headers, 'idempotency-key': 'k6-' + Date.now() + '-' + Math.random() }),
      });
      if (created.status !== 201) return created;
      return http.del(BASE + '/products/' + encodeURIComponent(created.json('id')), null, {
        ...PARAMS,
        headers: writeHeaders(data, { ...PARAMS.headers, 'if-match': '"' + created.json('version') + '"' }),
      });
    }
  }
}

function outcomeOf(res) {
  if (res.status === 0) return res.error_code === 1050 ? 'timeout' : 'connection-error';
  if ([429, 500, 502, 503, 504].includes(res.status)) return String(res.status);
  if (res.status >= 500) return 'other-5xx';
  if (res.status >= 400) return '4xx';
  return res.status >= 300 ? '3xx' : '2xx';
}

export default function (data) {
  let roll = Math.random() * MIX_TOTAL;
  const [kind] = MIX.find(([, weight]) => (roll -= weight) < 0) || MIX[0];
  const res = send(kind, data);
  if (!res) return;
  const outcome = outcomeOf(res);
  outcomes.add(1, { outcome });
  const throttled = outcome === '429' || outcome === '500' || outcome === '503';
  counters.throttled.add(throttled ? 1 : 0);
  counters.errors.add(throttled || ['502', '504', 'other-5xx', 'timeout', 'connection-error'].includes(outcome) ? 1 : 0);
  counters.timeouts.add(outcome === 'timeout' ? 1 : 0);
  counters.status4xx.add(outcome === '4xx' || outcome === '429' ? 1 : 0);
  counters.status5xx.add(['500', '502', '503', '504', 'other-5xx'].includes(outcome) ? 1 : 0);
}
`;
}

function k6Aggregation(metric: LoadCheck['metric']): string {
  if (metric === 'p50') return 'med';
  if (metric === 'max') return 'max';
  return `p(${metric.slice(1)})`;
}
