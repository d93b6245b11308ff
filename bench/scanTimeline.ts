import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import type { FunctionDefinition } from '../functions/FunctionDefinition.js';
import type { Runtime } from '../shared/wiring/createRuntime.js';
import type { ScanDependencies, ScanStateStore } from '../shared/scanner/ScanPorts.js';
import { aroundQueueHandler } from './aroundQueueHandler.js';
import { BENCH_LATENCY } from './benchGoals.js';
import { watchCalls } from './timeCalls.js';
import { watchLoopBusy, type LoopBusy } from './watchLoopBusy.js';

interface Step {
  step: string;
  start: number;
  end: number;
  /** The line's own start (`performance.now()`): where `start` and `end` count from. */
  t0: number;
}

/** A scan's storage ports, each call told to `record` (a first scan's findings writer too: its puts and close). */
function timedPorts<D extends ScanDependencies>(deps: D, record: (step: string, started: number) => void): D {
  const timed = <T extends object>(name: string, port: T): T =>
    watchCalls(
      name,
      new Proxy(port, {
        get(target, key, receiver) {
          const value: unknown = Reflect.get(target, key, receiver);
          if (key !== 'open' || typeof value !== 'function') return value;
          return (...args: unknown[]) => timed(`${name}.writer`, (value as (...a: unknown[]) => object).apply(target, args));
        },
      }),
      record,
    );
  // The lease's claim is a function the state read hands back: timed as `state.claim`.
  const state: ScanStateStore = {
    read: async (...args) => {
      const found = await deps.state.read(...args);
      if (found.kind === 'busy') return found;
      const claim = () => {
        const started = performance.now();
        return found.claim().finally(() => record('state.claim', started));
      };
      return { ...found, claim };
    },
    release: (...args) => deps.state.release(...args),
  };
  const ports = {
    state,
    intel: deps.intel,
    findings: deps.findings,
    upcoming: deps.upcoming,
    vaultIndex: deps.vaultIndex,
    events: deps.events,
  };
  const wrapped = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, timed(name, port)])) as typeof ports;
  return { ...deps, ...wrapped };
}

type Recorder = (step: string, started: number) => void;
/** Who hears of each Graph request and token request: the last trace or profile begun. */
const hearing: { record?: Recorder } = {};

/**
 * Graph's requests and the token endpoint's POSTs told to `record`, each from the request's start to its
 * answer's headers (`… (headers)`) and to its answer's end: Vigil sends both over node:https (sendOverNode.ts),
 * as the identity SDK does. Told in the context the request started in. Wrapped once per process: a bench that
 * traces each of its scans hands the wrapper a new `record` instead of wrapping the last trace's wrapper,
 * which went on telling every earlier trace too.
 */
function timeRequests(record: Recorder): void {
  const wrapped = hearing.record !== undefined;
  hearing.record = record;
  if (wrapped) return;
  const request = https.request.bind(https) as (...args: unknown[]) => ReturnType<typeof https.request>;
  const timed = (target: string | URL | https.RequestOptions, ...rest: unknown[]) => {
    const sent = request(target, ...rest);
    const path = typeof target === 'string' || target instanceof URL ? new URL(target).pathname : (target.path ?? '');
    const step = /\/oauth2\/v2\.0\/token/.test(path)
      ? 'token request'
      : /^\/(v1\.0|beta)\//.test(path)
        ? `Graph ${path.replace(/\?.*/, '').replace(/[0-9a-f-]{36}/g, '{id}')}`
        : undefined;
    if (step !== undefined) {
      const started = performance.now();
      const headers = AsyncResource.bind(() => hearing.record?.(`${step} (headers)`, started));
      const done = AsyncResource.bind(() => hearing.record?.(step, started));
      sent.once('response', (answer) => {
        headers();
        answer.once('end', done);
      });
    }
    return sent;
  };
  (https as { request: unknown }).request = timed;
  // Vigil and the SDKs import node:https as an ES module: its named exports follow the patched object only after this.
  syncBuiltinESMExports();
}

/**
 * One tenant's scan as a timeline (`node dist/bench/scanBench.js single 1000 timeline`, under withLocalCa): `traced`
 * wraps a scan's ports, and `report` prints each storage call and Graph request made since, from the scan's start.
 */
export function traceScan(): { traced<D extends ScanDependencies>(deps: D): D; report(): string[] } {
  const line = { t0: performance.now(), steps: [] as Step[] };
  const record = (step: string, started: number) =>
    line.steps.push({ step, start: started - line.t0, end: performance.now() - line.t0, t0: line.t0 });
  timeRequests(record);
  return {
    traced(deps) {
      line.t0 = performance.now();
      line.steps = [];
      return timedPorts(deps, record);
    },
    report: () => meanTimeline([line.steps]),
  };
}

/**
 * Where each tenant's scan spends its time (`node dist/bench/scanBench.js tenants 200 200 timeline`, under withLocalCa):
 * every handled message records its storage calls, Graph requests and sign-in as offsets from the
 * handler's start, and `report` prints the mean start and end of each, in order: a mean timeline of
 * one tenant, from which the chain that decides the wall time can be read.
 */
export function profileScans(runtime: Runtime, queue: FunctionDefinition): { definition: FunctionDefinition; report(): string[] } {
  const current = new AsyncLocalStorage<{ t0: number; steps: Step[] }>();
  const lines: Step[][] = [];
  const record = (step: string, started: number) => {
    const line = current.getStore();
    if (line) line.steps.push({ step, start: started - line.t0, end: performance.now() - line.t0, t0: line.t0 });
  };
  const loop = watchLoopBusy();
  timeRequests(record);
  const scanOf = runtime.scanner.scanOf.bind(runtime.scanner);
  (runtime.scanner as { scanOf: typeof scanOf }).scanOf = (tenant, timing) => {
    const { target, deps } = scanOf(tenant, timing);
    return { target, deps: timedPorts(deps, record) };
  };
  (runtime as { runs: Runtime['runs'] }).runs = watchCalls('runs', runtime.runs, record);
  // Reading the tenant's secret and making its credential (the sign-in itself starts as it ends: createTenantClients).
  const clients = runtime.scanner.clients;
  const connect = clients.connect.bind(clients);
  clients.connect = (tenant) => {
    const started = performance.now();
    return connect(tenant).finally(() => record('clients.connect', started));
  };
  const definition = aroundQueueHandler(queue, async (handle) => {
    const line = { t0: performance.now(), steps: [] as Step[] };
    lines.push(line.steps);
    await current.run(line, handle);
    line.steps.push({ step: 'handler', start: 0, end: performance.now() - line.t0, t0: line.t0 });
  });
  return {
    definition,
    report: () => {
      loop.stop();
      return [...meanTimeline(lines, loop), loop.describe()];
    },
  };
}

/** When a request's answer is due (the latency the local cloud injects), or undefined for a step that is not one request. */
function dueAfterMs(step: string): number | undefined {
  const request = step.replace(/ \(headers\)$/, '');
  if (request.startsWith('Graph ')) return BENCH_LATENCY.graph;
  return request === 'token request' ? BENCH_LATENCY.entra : undefined;
}

/**
 * The mean start and end of each step (the n-th call of a step counted apart from the first), in order. With
 * `loop`: the process CPU (all threads, any tenant's work) while Vigil's event loop was late from the handler's start to
 * each step's start, how long the loop was late during each step and the process CPU within that, and for a
 * request, the same after its answer was due (an answer that arrived then waited for the loop; the rest of
 * a request's time over its injected latency is the local cloud's, or the machine's).
 */
function meanTimeline(lines: Step[][], loop?: LoopBusy): string[] {
  const zero = { late: 0, processCpu: 0 };
  const add = (a: typeof zero, b: typeof zero) => ({ late: a.late + b.late, processCpu: a.processCpu + b.processCpu });
  const by = new Map<string, { n: number; start: number; end: number; before: typeof zero; during: typeof zero; afterDue: typeof zero }>();
  for (const line of lines) {
    const seen = new Map<string, number>();
    for (const s of line) {
      const nth = seen.get(s.step) ?? 0;
      seen.set(s.step, nth + 1);
      const key = nth === 0 ? s.step : `${s.step} #${nth + 1}`;
      const e = by.get(key) ?? { n: 0, start: 0, end: 0, before: zero, during: zero, afterDue: zero };
      const [from, to] = [s.t0 + s.start, s.t0 + s.end];
      const due = dueAfterMs(s.step);
      by.set(key, {
        n: e.n + 1,
        start: e.start + s.start,
        end: e.end + s.end,
        before: add(e.before, loop?.lateWithin(s.t0, from) ?? zero),
        during: add(e.during, loop?.lateWithin(from, to) ?? zero),
        afterDue: add(e.afterDue, loop && due !== undefined ? loop.lateWithin(from + due, to) : zero),
      });
    }
  }
  const ms = (n: number) => Math.round(n).toString().padStart(6);
  const late = (w: typeof zero, n: number) => `late ${Math.round(w.late / n)} (process CPU ${Math.round(w.processCpu / n)}) ms`;
  return [...by.entries()]
    .sort(([, a], [, b]) => a.start / a.n - b.start / b.n)
    .map(([step, e]) => {
      const due = dueAfterMs(step.replace(/ #\d+$/, ''));
      const loopSplit = !loop
        ? ''
        : `  [before it, process CPU while the loop was late ${Math.round(e.before.processCpu / e.n)} ms; during ${late(e.during, e.n)}${due === undefined ? '' : `; after due ${late(e.afterDue, e.n)}`}]`;
      return `${ms(e.start / e.n)} → ${ms(e.end / e.n)} ms  ${step} (${e.n})${loopSplit}`;
    });
}
