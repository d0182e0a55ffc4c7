import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/architecture.md: the rooms of src/ (each folder is one) and which room may import which. A rule names rooms,
// or single files of a room ("store/product-table"). Composition roots may import any room. A new folder fails the
// test until it gets a rule here. local/ runs handlers by loading their bundles, never by importing api/.
const composition = 'composition root';
const rules: Record<string, readonly string[] | typeof composition> = {
  common: [],
  types: [],
  catalog: ['common'],
  store: ['catalog', 'common'],
  api: ['catalog', 'common', 'store/product-store'],
  scaling: ['common'],
  load: ['common'],
  // The local cloud, a room per concern; its root (local/) puts them together.
  'local/template/sam': ['common'],
  'local/template': ['common', 'scaling', 'local/template/sam'],
  'local/lambda': ['common', 'scaling'],
  // The user pools the gateway's authorizer verifies tokens against (through its TokenIssuers port); their endpoints
  // are side routes, like DynamoDB's.
  'local/cognito': ['common', 'scaling', 'local/gateway/side-route'],
  'local/gateway': ['common', 'scaling', 'local/lambda'],
  'local/dynamodb': ['common', 'scaling', 'local/gateway/side-route'],
  'local/control-plane': ['common', 'scaling', 'local/gateway', 'local/dynamodb', 'local/lambda'],
  'local/aws-apis': ['common', 'scaling', 'local/gateway', 'local/lambda', 'local/control-plane', 'local/template/local-account'],
  local: [
    'common',
    'scaling',
    'local/template',
    'local/lambda',
    'local/gateway',
    'local/dynamodb',
    'local/control-plane',
    'local/aws-apis',
    'local/cognito',
  ],
  // The planner: the product API's demand is priced from the catalogue, the table schema and the listing limits;
  // SLOs use the load generator's check grammar.
  plan: [
    'common',
    'scaling',
    'catalog',
    'store/product-table',
    'api/product-routes',
    'load/load-checks',
    'load/load-results',
    'load/phase-segments',
    // A traced step's own mix, read the one way the load generator reads it.
    'load/step-mix',
  ],
  // Where a stack comes from: the CDK app synthesized and cached, or a template read.
  stack: ['common', 'scaling/stack-model', 'local/template', 'plan/candidate-stack'],
  // "local's metric types" (docs/design.md) live in scaling/metric-store, which the local cloud's metrics use.
  dashboard: [
    'common',
    'scaling/metric-store',
    'scaling/stack-model',
    'local/gateway/side-route',
    // The stage's recent access lines, which the event log shows.
    'local/gateway/access-log',
    'local/control-plane',
    'local/lambda/worker-protocol',
  ],
  // Profiles from history: access logs and CloudWatch exports read into a traced profile; the template's routes
  // map functions to requests.
  history: ['common', 'load/load-profile', 'scaling/stack-model'],
  // The review reads templates as the local cloud does (YAML, the SAM transform), nothing else of it.
  review: ['common', 'local/template/sam'],
  // The lab on the local cloud: the cloud, the load, the cloud's view, the planner's advice and --verify.
  lab: [
    'common',
    'scaling',
    'catalog',
    'load',
    'local',
    'local/control-plane',
    'local/template/function-runtime',
    'dashboard',
    'plan',
    'stack',
  ],
  lambda: composition,
  cli: composition,
};

/** Share of src/'s source lines one room may hold, and lines one file may hold. */
const largestRoomShare = 0.2;
const largestFileLines = 400;

const srcDir = new URL('.', import.meta.url).pathname;
const isTest = (file: string) => /\.test(-support)?\.ts$/.test(file);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.(ts|mjs)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

const all = files(srcDir).map((file) => relative(srcDir, file));
const sources = all.filter((file) => !isTest(file) && dirname(file) !== '.');
const roomOf = (file: string) => dirname(file);
const text = new Map(all.map((file) => [file, readFileSync(join(srcDir, file), 'utf8')]));

/** The files of src/ a file imports (static, dynamic and JSDoc type imports), as paths relative to src/. */
function importsOf(file: string): string[] {
  const specifiers = [...(text.get(file) ?? '').matchAll(/(?:from |import\()'(\.{1,2}\/[^']+)'/g)].map((m) => m[1] as string);
  return specifiers.map((s) => relative(srcDir, join(srcDir, dirname(file), s))).filter((target) => !target.startsWith('..'));
}

const withoutExtension = (file: string) => file.replace(/\.(ts|mjs)$/, '');

/** Strongly connected components of more than one node (Tarjan): the circles of a graph. */
function circles(nodes: readonly string[], edges: (node: string) => readonly string[]): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    indexes.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges(node)) {
      if (!indexes.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, indexes.get(next) ?? 0));
    }
    if (low.get(node) === indexes.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of nodes) if (!indexes.has(node)) visit(node);
  return found;
}

describe('the rooms of src/', () => {
  it('gives every room a rule', () => {
    expect([...new Set(sources.map(roomOf))].filter((room) => !(room in rules)).sort()).toEqual([]);
  });

  it('has no import across a forbidden edge (and so none upward)', () => {
    const violations: string[] = [];
    for (const file of sources) {
      const from = roomOf(file);
      const allowed = rules[from];
      if (!allowed || allowed === composition) continue;
      for (const target of importsOf(file)) {
        const to = roomOf(target);
        if (to === from || allowed.includes(to) || allowed.includes(withoutExtension(target))) continue;
        violations.push(`${file} -> ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has rules that form layers: no room may reach itself through the rooms it may import', () => {
    const rooms = Object.keys(rules);
    const edges = (room: string) => {
      const allowed = rules[room];
      return allowed === composition || !allowed ? [] : [...new Set(allowed.map((rule) => (rule in rules ? rule : dirname(rule))))];
    };
    expect(circles(rooms, edges)).toEqual([]);
  });

  it('has no circle of imports between files', () => {
    const known = new Set(all);
    expect(circles(all, (file) => importsOf(file).filter((target) => known.has(target)))).toEqual([]);
  });

  it(`keeps every room under ${100 * largestRoomShare}% of the source lines and every file under ${largestFileLines} lines`, () => {
    const lines = (file: string) => (text.get(file) ?? '').split('\n').length - 1;
    const total = sources.reduce((sum, file) => sum + lines(file), 0);
    const perRoom = new Map<string, number>();
    for (const file of sources) perRoom.set(roomOf(file), (perRoom.get(roomOf(file)) ?? 0) + lines(file));
    const crowded = [...perRoom]
      .filter(([, count]) => count > largestRoomShare * total)
      .map(([room, count]) => `${room}: ${count} of ${total}`);
    const long = all.filter((file) => lines(file) > largestFileLines).map((file) => `${file}: ${lines(file)} lines`);
    expect({ crowded, long }).toEqual({ crowded: [], long: [] });
  });
});
