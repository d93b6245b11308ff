import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionDefinition } from '../../../functions/FunctionDefinition.js';
import { toQueueMessage } from '../../../shared/adapters/storage/createQueueClient.js';
import { startDevHost, type DevHost } from '../../../local/devhost/startDevHost.js';
import { localPorts } from '../../../local/localPorts.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';

let stack: TestStack;
let host: DevHost;
const handled: unknown[] = [];
const logs: string[] = [];
let failuresLeft = 0;
const busy = { now: 0, most: 0, done: [] as number[] };

const definitions: FunctionDefinition[] = [
  { kind: 'storageQueue', name: 'echoQueue', queueName: 'devhost-echo', handler: async (message) => void handled.push(message) },
  {
    kind: 'storageQueue',
    name: 'flakyQueue',
    queueName: 'devhost-flaky',
    handler: async (message) => {
      if (failuresLeft-- > 0) throw new Error('not yet');
      handled.push(message);
    },
  },
  {
    kind: 'storageQueue',
    name: 'busyQueue',
    queueName: 'devhost-busy',
    handler: async (message) => {
      busy.now += 1;
      busy.most = Math.max(busy.most, busy.now);
      // One slow message among quick ones: it must not hold up the others.
      await new Promise((resolve) => setTimeout(resolve, (message as { n: number }).n === 0 ? 1_500 : 20));
      busy.now -= 1;
      busy.done.push((message as { n: number }).n);
    },
  },
  {
    kind: 'http',
    name: 'greet',
    methods: ['POST'],
    authLevel: 'function',
    route: 'greet/{name}',
    handler: async (request) => ({ status: 201, jsonBody: { hello: request.params['name'], body: await request.text() } }),
  },
];

beforeAll(async () => {
  stack = await startTestStack();
  host = await startDevHost({
    // The sample file's base URL (the dev host on its fixed port): on a free port it must name the port served.
    settings: { ...stack.settingsValues, VIGIL_PUBLIC_BASE_URL: `http://localhost:${localPorts.devHost}` },
    httpPort: 0,
    definitions,
    sink: (_n, _l, m) => logs.push(m),
    clock: stack.cloud.clock,
  });
});
afterAll(async () => {
  await host.stop();
  await stack.stop();
});

describe('the dev host drives the same triggers as the Functions host', () => {
  it('decodes base64 queue messages as JSON and deletes them once handled', async () => {
    const queue = stack.runtime.queue('devhost-echo');
    await queue.createIfNotExists();
    await queue.sendMessage(toQueueMessage({ connection: 'cerb-mailbox' }));
    await host.runOnce();
    expect(handled).toContainEqual({ connection: 'cerb-mailbox' });
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('retries a failing message and moves it to the poison queue after five attempts', async () => {
    failuresLeft = 99;
    const queue = stack.runtime.queue('devhost-flaky');
    await queue.createIfNotExists();
    await queue.sendMessage(toQueueMessage({ n: 1 }));
    await host.runOnce();
    const poison = await stack.runtime.queue('devhost-flaky-poison').peekMessages();
    expect(poison.peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')) as unknown)).toEqual([
      { n: 1 },
    ]);
    expect(logs.filter((l) => l.includes('failed (attempt'))).toHaveLength(5);
  });

  it('asks for a new batch when half a batch is left in flight, as the host does, so a slow message holds up no other', async () => {
    const queue = stack.runtime.queue('devhost-busy');
    await queue.createIfNotExists();
    for (let n = 0; n < 40; n++) await queue.sendMessage(toQueueMessage({ n }));

    await host.runOnce();

    expect(busy.done).toHaveLength(40);
    expect(busy.done.at(-1)).toBe(0);
    // batchSize 16 plus newBatchThreshold 8 (host.json reference): more than one batch, never more than 24.
    expect(busy.most).toBeGreaterThan(16);
    expect(busy.most).toBeLessThanOrEqual(24);
  });

  it('serves HTTP functions under /api with route parameters, and 404/405 otherwise', async () => {
    const ok = await fetch(`${host.apiUrl}/greet/creatio`, { method: 'POST', body: 'hi' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ hello: 'creatio', body: 'hi' });
    expect((await fetch(`${host.apiUrl}/greet/creatio`)).status).toBe(405);
    expect((await fetch(`${host.apiUrl}/nothing`)).status).toBe(404);
  });

  it("points the sample's public base URL at the origin it serves, so sign-in links reach it on a free port", () => {
    expect(host.runtime.settings.VIGIL_PUBLIC_BASE_URL).toBe(new URL(host.apiUrl).origin);
  });
});
