import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushDigest } from '../../../shared/notifications/flushDigest.js';
import type { OutboxMessage } from '../../../shared/notifications/OutboxMessage.js';
import { digestStackKit } from './digestStackKit.js';
import { expiring } from './notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from './notificationStack.js';

// A stack of its own: the mails of these tests would take the mailbox's send budget (30 a minute) from the other digest tests.
let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack({ VIGIL_DIGEST_WINDOW_SECONDS: '300' });
});
afterAll(async () => n?.stack.stop());

const { data, lifecycle, captured, since, pipelineWith, windowBuckets } = digestStackKit(() => n);

describe("a crashed flush's batch, rebuilt at 'assigned' (items taken, no message recorded saved)", () => {
  /**
   * Two findings decided a window ago (their flush ticket lost), taken by a flush that saves every message of its
   * batch and stops before recording it, and (unless `overtaking` is false) a later run that decides on top of the
   * first finding in the current window. Returns the messages the crashed flush saved and the two buckets.
   */
  async function crashedAfterSaving(tag: string, overtaking = true) {
    const overtaken = { app: `Creatio crashed overtaken ${tag}`, appObjectId: `o-crashed-overtaken-${tag}` };
    const kept = { app: `Creatio crashed kept ${tag}`, appObjectId: `o-crashed-kept-${tag}` };
    const earlier = () => utcNow().minus({ minutes: 10 });
    const lost = { flushLater: async () => undefined };
    await pipelineWith({ clock: earlier, tickets: lost }).publish([
      expiring({ ...overtaken, now: earlier(), daysLeft: 10, severity: 'medium' }),
      expiring({ ...kept, now: earlier(), daysLeft: 10, severity: 'medium' }),
    ]);
    const [first] = await windowBuckets();
    const saved: string[] = [];
    const outbox = {
      ...lifecycle().outbox,
      save: async (messages: readonly OutboxMessage[]) => {
        await lifecycle().outbox.save(messages);
        saved.push(...messages.map((m) => m.id));
        throw new Error('the instance stopped');
      },
    };
    await expect(flushDigest(first!, { ...lifecycle(), outbox }, utcNow())).rejects.toThrow('the instance stopped');
    if (overtaking) await n.runtime.events.publish([expiring({ ...overtaken, now: utcNow(), daysLeft: 3, severity: 'high' })]);
    const [, second] = (await windowBuckets()).sort();
    return { overtaken, kept, saved, first: first!, second: second! };
  }
  /** The subjects of the mails since `before` that name `app`, and how many webhooks do. */
  const sentNaming = (before: ReturnType<typeof captured>, app: string) => ({
    mail: data()
      .mail.slice(before.mail)
      .filter((m) => m.body.includes(app))
      .map((m) => (JSON.parse(m.body) as { message: { subject: string } }).message.subject),
    webhooks: data()
      .webhooks.slice(before.webhooks)
      .filter((w) => w.body.includes(app)).length,
  });
  /** What the crashed batch's two findings got: the newer decision on the first, and the second, each in one mail and one event. */
  const sentOnce = { mail: [expect.stringMatching(/\(1 high\)/)], webhooks: 1 };
  const keptOnce = { mail: [expect.stringMatching(/\(1 medium\)/)], webhooks: 1 };

  it("leaves out of a crashed flush's batch, not yet saved whole, a decision a later window overtook, and what it had saved of it", async () => {
    const before = captured();
    const { overtaken, kept, saved, first, second } = await crashedAfterSaving('assigned');
    // The newer decision's own flush is unaffected (an item for each of the finding's two routes).
    expect(await flushDigest(second, lifecycle(), utcNow())).toMatchObject({ items: 2, abandoned: 0 });
    const flushed = await flushDigest(first, lifecycle(), utcNow());
    await n.drain();
    // Two mails: the newer decision's, then the kept finding's, which says nothing of the overtaken one.
    expect(since(before)).toMatchObject({ mail: 2, teams: 2 });
    expect(sentNaming(before, overtaken.app)).toEqual(sentOnce);
    expect(sentNaming(before, kept.app)).toEqual(keptOnce);
    // The crashed batch was read against the route states again: the overtaken decision (two routes) was taken out.
    expect(flushed).toMatchObject({ items: 0, abandoned: 2 });
    // Nothing the crashed attempt saved is left in the outbox to be sent or to be found unreadable.
    expect(saved.length).toBeGreaterThan(0);
    for (const id of saved) expect(await lifecycle().outbox.load(id)).toBeUndefined();
    expect(await windowBuckets()).toEqual([]);
  });

  /** Stores that make the flush rebuilding a crashed batch stop at one of its steps (the first call of `call` throws). */
  const stoppingOnce = <T extends object, K extends keyof T>(store: T, call: K, when: (...args: unknown[]) => boolean = () => true): T => {
    let stopped = false;
    const original = store[call] as (...args: unknown[]) => Promise<unknown>;
    return {
      ...store,
      [call]: async (...args: unknown[]) => {
        if (!stopped && when(...args)) {
          stopped = true;
          // The call's own work is done in part (or whole, for a single write): the instance stops after it.
          await original(...args);
          throw new Error('the instance stopped again');
        }
        return original(...args);
      },
    };
  };
  const rebuildSteps = [
    {
      step: 'while removing the messages the stopped flush saved',
      deps: () => ({ outbox: stoppingOnce(lifecycle().outbox, 'remove') }),
      abandonedAfter: 2,
    },
    {
      step: 'before removing the overtaken items',
      deps: () => ({ digests: stoppingOnce(lifecycle().digests, 'remove', (_bucket, refs) => (refs as string[]).length > 0) }),
      abandonedAfter: 0,
    },
    {
      step: 'while saving the rebuilt messages',
      deps: () => ({ outbox: stoppingOnce(lifecycle().outbox, 'save') }),
      abandonedAfter: 0,
    },
  ];
  it.each(rebuildSteps)(
    'sends each remaining message once when the flush rebuilding a crashed batch stops too, $step',
    async ({ step, deps, abandonedAfter }) => {
      const before = captured();
      const { overtaken, kept, first, second } = await crashedAfterSaving(step);
      await flushDigest(second, lifecycle(), utcNow());
      await expect(flushDigest(first, { ...lifecycle(), ...deps() }, utcNow())).rejects.toThrow('the instance stopped again');
      expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ items: 0, abandoned: abandonedAfter });
      expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ items: 0, abandoned: 0, messages: 0 });
      await n.drain();
      expect(since(before)).toMatchObject({ mail: 2, teams: 2 });
      expect(sentNaming(before, overtaken.app)).toEqual(sentOnce);
      expect(sentNaming(before, kept.app)).toEqual(keptOnce);
      expect(await windowBuckets()).toEqual([]);
    },
  );

  it("sends a crashed flush's batch as the routes now say, and leaves nothing of what it had saved for a channel gone from them", async () => {
    const before = captured();
    const { overtaken, kept, saved, first } = await crashedAfterSaving('rerouted', false);
    // The routes change before the next flush (a deploy): the Creatio route's webhook is gone.
    const { config } = lifecycle();
    const rerouted = { ...config, routes: { ...config.routes, creatio: { ...config.routes.creatio!, webhooks: [] } } };
    expect(await flushDigest(first, { ...lifecycle(), config: rerouted }, utcNow())).toMatchObject({ abandoned: 0, messages: 2 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 0 });
    expect(sentNaming(before, overtaken.app)).toEqual({ mail: [expect.stringMatching(/^\[Vigil\] 2 need action/)], webhooks: 0 });
    expect(sentNaming(before, kept.app).webhooks).toBe(0);
    // The crashed attempt saved a webhook message per event too: none of them stays in the outbox.
    expect(saved.length).toBe(4);
    for (const id of saved) expect(await lifecycle().outbox.load(id)).toBeUndefined();
    expect(await windowBuckets()).toEqual([]);
  });
});
