import { AsyncLocalStorage } from 'node:async_hooks';
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { watchLoopDelay, type LoopDelay } from './loopDelay.js';

/** One timed span of a message's handler: a port's call (`Key Vault.read`) or an HTTP request (`http Key Vault GET`). */
interface Span {
  name: string;
  start: number;
  end: number;
}

interface MessageTrace {
  start: number;
  end: number;
  spans: Span[];
}

/** Mean milliseconds of a part of a probe's refresh, over the probes that had it. */
export type TimelinePart = { part: string; ms: number; of: number };

export interface RefreshTimelineSummary {
  probes: number;
  /** The parts of a probe's handler, in the order they run (see describeTimeline). */
  parts: TimelinePart[];
  /** Mean count of Azurite (Table and Queue Storage) requests a probe's handler sent. */
  azuriteRequestsPerProbe: number;
  /** Vigil's event loop: how late a 1 ms timer ran past its interval, in ms, while the planner ran beside the refreshes and after it had ended. */
  eventLoopDelayMs: { whilePlanning: LoopDelay; afterPlanning: LoopDelay };
  /** Mean handler time of the probes started while the planner ran, and after (the planner's CPU shares Vigil's event loop). */
  probeMs: { whilePlanning: TimelinePart; afterPlanning: TimelinePart };
}

/**
 * A per-message timeline of the refresh handler in Vigil's process (`10000/timeline`): each message's port
 * calls and HTTP requests, tied to the message by async context; HTTP requests are seen on Node's own
 * diagnostics channels, when the SDK creates the request and when the answer's headers are parsed (the
 * storage and Key Vault SDKs over node:https, the token endpoint over fetch). Opt-in: its bookkeeping is
 * CPU in the measured process.
 */
export function startRefreshTimeline(serviceOf: (host: string) => string): {
  handler: <A extends unknown[]>(run: (...args: A) => Promise<void>) => (...args: A) => Promise<void>;
  settled: (name: string, started: number) => void;
  /** Marks the planner's end: the figures before and after are told apart. */
  plannerDone: () => void;
  stop: () => RefreshTimelineSummary;
} {
  const current = new AsyncLocalStorage<MessageTrace>();
  const traces: MessageTrace[] = [];
  const open = new WeakMap<object, Span>();
  const began = (request: object, name: string) => {
    const trace = current.getStore();
    if (!trace) return;
    const span = { name, start: performance.now(), end: Number.NaN };
    trace.spans.push(span);
    open.set(request, span);
  };
  const answered = (request: object) => {
    const span = open.get(request);
    if (span) span.end = performance.now();
  };
  const onHttpStart = (m: unknown) => {
    const request = (m as { request: ClientRequest }).request;
    began(request, `http ${serviceOf(String(request.getHeader('host') ?? request.host))} ${request.method}`);
  };
  const onHttpAnswer = (m: unknown) => answered((m as { request: object }).request);
  const onFetchStart = (m: unknown) => {
    const request = (m as { request: { origin: string; method: string } }).request;
    began(request, `http ${serviceOf(new URL(request.origin).host)} ${request.method}`);
  };
  const channels: [string, (m: unknown) => void][] = [
    ['http.client.request.start', onHttpStart],
    ['http.client.response.finish', onHttpAnswer],
    ['undici:request:create', onFetchStart],
    ['undici:request:headers', onHttpAnswer],
  ];
  for (const [name, listener] of channels) dc.subscribe(name, listener);
  const loopDelay = watchLoopDelay(1);
  let planning: { delay: LoopDelay; endedAt: number } | undefined;
  return {
    handler:
      (run) =>
      (...args) => {
        const trace: MessageTrace = { start: performance.now(), end: Number.NaN, spans: [] };
        traces.push(trace);
        return current
          .run(trace, () => run(...args))
          .finally(() => {
            trace.end = performance.now();
          });
      },
    settled: (name, started) => current.getStore()?.spans.push({ name, start: started, end: performance.now() }),
    plannerDone: () => {
      planning = { delay: loopDelay.split(), endedAt: performance.now() };
    },
    stop: () => {
      loopDelay.stop();
      for (const [name, listener] of channels) dc.unsubscribe(name, listener);
      const after = loopDelay.read();
      const endedAt = planning?.endedAt ?? Number.POSITIVE_INFINITY;
      const meanOf = (part: string, probes: MessageTrace[]): TimelinePart => ({
        part,
        ms: Math.round((probes.reduce((sum, t) => sum + t.end - t.start, 0) / Math.max(1, probes.length)) * 10) / 10,
        of: probes.length,
      });
      const probes = traces.filter(isProbe);
      return {
        ...summarise(traces),
        eventLoopDelayMs: { whilePlanning: planning?.delay ?? after, afterPlanning: after },
        probeMs: {
          whilePlanning: meanOf(
            'probes started while planning',
            probes.filter((t) => t.start < endedAt),
          ),
          afterPlanning: meanOf(
            'probes started after planning',
            probes.filter((t) => t.start >= endedAt),
          ),
        },
      };
    },
  };
}

/**
 * A probe's handler (token read, redeem, tag update; no write-back, no client secret read) in parts: each
 * port call split into the SDK's work before its request leaves, the request until its answer's headers,
 * and the work after (body, deserialising, the wait for Vigil's event loop); the gaps between the chain's
 * steps; the storage calls beside it; and the handler's tail after the chain's last answer.
 */
/** A probe: its token read, redeem and tag update, and no write-back. */
const isProbe = (trace: MessageTrace): boolean =>
  ['Key Vault.read', 'token endpoint.refresh', 'Key Vault.updateTags'].every((name) => trace.spans.some((s) => s.name === name)) &&
  !trace.spans.some((s) => s.name === 'Key Vault.writeVersion');

function summarise(traces: readonly MessageTrace[]): Pick<RefreshTimelineSummary, 'probes' | 'parts' | 'azuriteRequestsPerProbe'> {
  const sums = new Map<string, { ms: number; of: number }>();
  const add = (part: string, ms: number) => {
    if (!Number.isFinite(ms)) return;
    const sum = sums.get(part) ?? { ms: 0, of: 0 };
    sum.ms += ms;
    sum.of += 1;
    sums.set(part, sum);
  };
  let probes = 0;
  let azuriteRequests = 0;
  for (const trace of traces) {
    const find = (name: string, from = 0) =>
      trace.spans.filter((s) => s.name === name && s.start >= from).sort((a, b) => a.start - b.start)[0];
    const within = (port: Span, prefix: string) =>
      trace.spans
        .filter((s) => s.name.startsWith(prefix) && s.start >= port.start && s.start <= port.end)
        .sort((a, b) => a.start - b.start)[0];
    const read = find('Key Vault.read');
    const token = find('token endpoint.refresh');
    const tags = find('Key Vault.updateTags');
    if (!read || !token || !tags || !isProbe(trace)) continue;
    probes += 1;
    add('whole handler', trace.end - trace.start);
    const steps: [string, Span, string][] = [
      ['1 token read', read, 'http Key Vault'],
      ['3 redeem', token, 'http Entra'],
      ['5 tag update', tags, 'http Key Vault'],
    ];
    add('0 handler start → token read called', read.start - trace.start);
    for (const [label, port, prefix] of steps) {
      const http = within(port, prefix);
      add(`${label}: whole call`, port.end - port.start);
      if (!http) continue;
      add(`${label}: before the request is created`, http.start - port.start);
      add(`${label}: request → answer's headers`, http.end - http.start);
      add(`${label}: answer's headers → call settled`, port.end - http.end);
    }
    const lease = find('storage (lease).acquire');
    if (lease) {
      add('beside 1: lease taken (whole call)', lease.end - lease.start);
      add('2 gap: token read settled → redeem called', token.start - read.end);
      add('2 of which the lease was still awaited', Math.max(0, Math.min(lease.end, token.start) - read.end));
    }
    add('4 gap: redeem settled → tag update called', tags.start - token.end);
    const publish = find('storage (events).publish', token.end);
    const release = find('storage (lease).release', token.end);
    if (publish) add('beside 5: events published (whole call)', publish.end - publish.start);
    if (release) {
      add('beside 5: state saved, lease released (whole call)', release.end - release.start);
      add('6 of the tail: release settled after the tag update', Math.max(0, release.end - tags.end));
    }
    add('6 tail: tag update settled → handler done', trace.end - tags.end);
    azuriteRequests += trace.spans.filter((s) => s.name.startsWith('http Azurite')).length;
  }
  const parts = [...sums.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([part, { ms, of }]) => ({ part, ms: Math.round((ms / of) * 10) / 10, of }));
  return { probes, parts, azuriteRequestsPerProbe: Math.round((azuriteRequests / Math.max(1, probes)) * 10) / 10 };
}

/** The timeline as report lines. */
export function describeTimeline(t: RefreshTimelineSummary): string[] {
  const loop = (d: LoopDelay) => `mean ${d.mean} ms, p50 ${d.p50}, p99 ${d.p99}, max ${d.max}`;
  const { whilePlanning, afterPlanning } = t.probeMs;
  return [
    `  per-probe timeline (mean over ${t.probes.toLocaleString('en-US')} probes, ms):`,
    ...t.parts.map((p) => `    ${p.part}: ${p.ms}${p.of === t.probes ? '' : ` (${p.of.toLocaleString('en-US')} probes)`}`),
    `    whole handler, ${whilePlanning.part}: ${whilePlanning.ms} (${whilePlanning.of}); ${afterPlanning.part}: ${afterPlanning.ms} (${afterPlanning.of})`,
    `  Azurite requests per probe (a count, mean): ${t.azuriteRequestsPerProbe}`,
    `  Vigil's event-loop delay (past the 1 ms timer's interval) while planning: ${loop(t.eventLoopDelayMs.whilePlanning)}; after: ${loop(t.eventLoopDelayMs.afterPlanning)}`,
  ];
}
