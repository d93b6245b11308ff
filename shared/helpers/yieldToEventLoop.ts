import { setImmediate } from 'node:timers/promises';

/**
 * Resolves one turn of the event loop later (in its check phase), once every microtask queued before has run.
 * node:http(s) writes a request made in a promise's continuation only once no microtask is left
 * (process.nextTick and promise callbacks run before the loop goes on:
 * https://nodejs.org/api/process.html#when-to-use-queuemicrotask-vs-processnexttick and
 * https://nodejs.org/en/learn/asynchronous-work/event-loop-timers-and-nexttick), so CPU work started beside
 * a request in the same turn holds it back; awaiting this first lets the request leave before that work.
 */
export const yieldToEventLoop = (): Promise<void> => setImmediate();
