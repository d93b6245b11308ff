import http from 'node:http';
import { QueueServiceClient } from '@azure/storage-queue';
import type { Azurite } from '../../local/azurite/startAzurite.js';
import { close, forwardRequest, listen, portOf, withBody } from '../support/forwardRequest.js';

/**
 * Azure queues hide a message for a visibility delay measured on the storage service's clock, and a
 * replay moves Vigil's and the local cloud's clock by days in seconds: a retry asked for "in 30 minutes",
 * a digest flush "when the window ends" or a snooze alarm "in 6 days" would otherwise come back either
 * never or at once. This proxy sits between Vigil and Azurite's Queue service and keeps such delays on
 * the replay clock: every message put or updated with a visibility delay is held hidden (by the proxy's
 * own, correctly signed update), and `release` makes visible what is due by a replay time. Requests pass
 * unchanged (a rewritten query would break their Shared Key signature); receiving, deleting and peeking
 * are Azurite's own. Tables are not proxied.
 */
export interface QueueClock {
  /** Azurite's connection string with the Queue endpoint pointed at the proxy. */
  readonly connectionString: string;
  /** The earliest replay time a held message is due, if any is held. */
  nextDue(): number | undefined;
  /** Makes every held message due by `atMs` (replay time) visible now; returns how many. */
  release(atMs: number): Promise<number>;
  /** How many messages are held, by queue. */
  held(): Record<string, number>;
  /** The queues that may hold a visible message since the last call: sent without a delay, or released. */
  takeWoken(): Set<string>;
  stop(): Promise<void>;
}

interface Held {
  queue: string;
  id: string;
  popReceipt: string;
  dueMs: number;
}

/** Hidden on Azurite's clock for far longer than a replay takes, and within a message's default 7-day life. */
const HOLD_SECONDS = 6 * 24 * 3600;

export async function startQueueClock(azurite: Azurite, replayNowMs: () => number): Promise<QueueClock> {
  const upstream = new URL(azurite.queueUrl);
  const account = upstream.pathname.split('/')[1] ?? '';
  const agent = new http.Agent({ keepAlive: true });
  const direct = QueueServiceClient.fromConnectionString(azurite.connectionString, { retryOptions: { maxTries: 3 } });
  const held = new Map<string, Held>();
  let woken = new Set<string>();
  // Holding and releasing race with the requests that caused them: keep them in order.
  let pending = Promise.resolve();
  const serially = (work: () => Promise<void>) => (pending = pending.then(work, work));

  const hold = (queue: string, id: string, popReceipt: string, delaySeconds: number) =>
    serially(async () => {
      const { popReceipt: receipt } = await direct.getQueueClient(queue).updateMessage(id, popReceipt, undefined, HOLD_SECONDS);
      held.set(id, { queue, id, popReceipt: receipt!, dueMs: replayNowMs() + delaySeconds * 1000 });
    });

  const server = await listen(
    withBody((req, res, body) => {
      const url = new URL(req.url ?? '/', 'http://proxy');
      const [, , queue, messages, id] = decodeURIComponent(url.pathname).split('/');
      const delay = Number(url.searchParams.get('visibilitytimeout') ?? '0');
      const method = req.method ?? 'GET';
      forwardRequest(upstream, agent, req, body, (answer) => {
        const answerBody: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => answerBody.push(chunk));
        answer.on('end', () => {
          const text = Buffer.concat(answerBody);
          const ok = (answer.statusCode ?? 500) < 300;
          const done = () => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          };
          if (!ok || !queue || messages !== 'messages') return done();
          if (method === 'DELETE' && id) held.delete(id);
          if (method === 'PUT' && id && delay === 0) {
            held.delete(id);
            woken.add(queue);
          }
          const put =
            method === 'POST' && !id ? /<MessageId>([^<]+)<\/MessageId>.*<PopReceipt>([^<]+)<\/PopReceipt>/s.exec(text.toString()) : null;
          const updated = method === 'PUT' && id ? answer.headers['x-ms-popreceipt'] : undefined;
          const target = put ? { id: put[1]!, receipt: put[2]! } : typeof updated === 'string' && id ? { id, receipt: updated } : undefined;
          if (method === 'POST' && !id && delay <= 0) woken.add(queue);
          if (!target || delay <= 0) return done();
          hold(queue, target.id, target.receipt, delay).then(done, () => {
            res.writeHead(500);
            res.end();
          });
        });
      });
    }),
  );
  const queueUrl = `http://127.0.0.1:${portOf(server)}/${account}`;

  return {
    connectionString: azurite.connectionString.replace(/QueueEndpoint=[^;]*/, `QueueEndpoint=${queueUrl}`),
    nextDue: () => (held.size === 0 ? undefined : Math.min(...[...held.values()].map((h) => h.dueMs))),
    release(atMs) {
      let released = 0;
      return serially(async () => {
        const due = [...held.values()].filter((h) => h.dueMs <= atMs).sort((a, b) => a.dueMs - b.dueMs);
        for (const message of due) {
          held.delete(message.id);
          try {
            await direct.getQueueClient(message.queue).updateMessage(message.id, message.popReceipt, undefined, 0);
            released += 1;
            woken.add(message.queue);
          } catch (error) {
            // Deleted meanwhile (its handler finished it through another path): nothing to release.
            if ((error as { statusCode?: number }).statusCode !== 404) throw error;
          }
        }
      }).then(() => released);
    },
    takeWoken() {
      const taken = woken;
      woken = new Set();
      return taken;
    },
    held() {
      const counts: Record<string, number> = {};
      for (const h of held.values()) counts[h.queue] = (counts[h.queue] ?? 0) + 1;
      return counts;
    },
    async stop() {
      agent.destroy();
      await close(server);
    },
  };
}
