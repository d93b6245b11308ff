import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDigestTable } from '../../../shared/adapters/storage/digestTable.js';
import { markerRow } from '../../../shared/adapters/storage/digestBatchRows.js';
import { tableNames } from '../../../shared/adapters/storage/tableNames.js';
import type { DigestStore } from '../../../shared/notifications/DigestPorts.js';
import { flushDigest } from '../../../shared/notifications/flushDigest.js';
import { messagesOfBatch } from '../../../shared/notifications/messagesOfBatch.js';
import type { OutboxMessage } from '../../../shared/notifications/OutboxMessage.js';
import { digestStackKit } from './digestStackKit.js';
import { expiring } from './notificationFixtures.js';
import { startNotificationStack, utcNow, type NotificationStack } from './notificationStack.js';
import { toIsoUtc } from '../../../shared/helpers/toIsoUtc.js';

// A stack of its own: the mails of these tests would take the mailbox's send budget (30 a minute) from the other digest tests.
let n: NotificationStack;
beforeAll(async () => {
  n = await startNotificationStack({ VIGIL_DIGEST_WINDOW_SECONDS: '300' });
});
afterAll(async () => n?.stack.stop());

const { data, lifecycle, captured, since, pipelineWith, windowBuckets } = digestStackKit(() => n);

describe("a crashed flush's batch, rebuilt at 'assigned' (items taken, no message recorded saved)", () => {
  /** Two findings decided a window ago, their flush ticket lost: the bucket a flush finds them in. */
  async function heldAWindowAgo(tag: string) {
    const overtaken = { app: `Creatio crashed overtaken ${tag}`, appObjectId: `o-crashed-overtaken-${tag}` };
    const kept = { app: `Creatio crashed kept ${tag}`, appObjectId: `o-crashed-kept-${tag}` };
    const earlier = () => utcNow().minus({ minutes: 10 });
    const lost = { flushLater: async () => undefined };
    await pipelineWith({ clock: earlier, tickets: lost }).publish([
      expiring({ ...overtaken, now: earlier(), daysLeft: 10, severity: 'medium' }),
      expiring({ ...kept, now: earlier(), daysLeft: 10, severity: 'medium' }),
    ]);
    const [first] = await windowBuckets();
    return { overtaken, kept, first: first! };
  }
  /**
   * The findings of heldAWindowAgo taken by a flush that saves every message of its batch and stops before recording
   * it, and (unless `overtaking` is false) a later run that decides on top of the first finding in the current window.
   * Returns the messages the crashed flush saved and the two buckets.
   */
  async function crashedAfterSaving(tag: string, overtaking = true) {
    const { overtaken, kept, first } = await heldAWindowAgo(tag);
    const saved: string[] = [];
    const outbox = {
      ...lifecycle().outbox,
      save: async (messages: readonly OutboxMessage[]) => {
        await lifecycle().outbox.save(messages);
        saved.push(...messages.map((m) => m.id));
        throw new Error('the instance stopped');
      },
    };
    await expect(flushDigest(first, { ...lifecycle(), outbox }, utcNow())).rejects.toThrow('the instance stopped');
    if (overtaking) await n.runtime.events.publish([expiring({ ...overtaken, now: utcNow(), daysLeft: 3, severity: 'high' })]);
    const [, second] = (await windowBuckets()).sort();
    return { overtaken, kept, saved, first, second: second! };
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
  /** After the outbox drains: the two findings went out in one mail, one card and an event each, and no bucket is left. */
  async function sentOnceEachAndEmptied(before: ReturnType<typeof captured>) {
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(await windowBuckets()).toEqual([]);
  }

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

  /**
   * Stores that make the flush rebuilding a crashed batch stop at one of its steps: the first call of `call` that
   * `when` picks throws, after doing its work (`after`) or before doing any (`before`).
   */
  const stoppingOnce = <T extends object, K extends keyof T>(
    store: T,
    call: K,
    { at = 'after', when = () => true }: { at?: 'before' | 'after'; when?: (...args: unknown[]) => boolean } = {},
  ): T => {
    let stopped = false;
    const original = store[call] as (...args: unknown[]) => Promise<unknown>;
    return {
      ...store,
      [call]: async (...args: unknown[]) => {
        if (!stopped && when(...args)) {
          stopped = true;
          // After: the call's own work is done in part (or whole, for a single write), and the instance stops.
          if (at === 'after') await original(...args);
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
      step: 'after removing the messages the stopped flush saved, before removing the overtaken items',
      deps: () => ({ digests: stoppingOnce(lifecycle().digests, 'abandon', { at: 'before' }) }),
      abandonedAfter: 2,
    },
    {
      step: 'after removing the overtaken items',
      deps: () => ({ digests: stoppingOnce(lifecycle().digests, 'abandon') }),
      abandonedAfter: 2,
    },
    {
      step: 'while saving the rebuilt messages',
      deps: () => ({ outbox: stoppingOnce(lifecycle().outbox, 'save') }),
      abandonedAfter: 2,
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

  it('removes every message a stopped rebuild saved for a larger plan, when the next flush plans fewer again', async () => {
    const before = captured();
    const { overtaken, kept, saved, first } = await crashedAfterSaving('grown', false);
    // A deploy adds a webhook to the Creatio route before the rebuild, which saves its larger plan and stops;
    // the deploy is rolled back before the next flush.
    const { config, outbox } = lifecycle();
    const creatio = config.routes.creatio!;
    const grown = {
      ...config,
      routes: { ...config.routes, creatio: { ...creatio, webhooks: [...creatio.webhooks, ...config.routes.cerb!.webhooks] } },
    };
    const rebuilt: string[] = [];
    const save = async (messages: readonly OutboxMessage[]) => {
      await outbox.save(messages);
      rebuilt.push(...messages.map((m) => m.id));
      throw new Error('the instance stopped again');
    };
    await expect(flushDigest(first, { ...lifecycle(), config: grown, outbox: { ...outbox, save } }, utcNow())).rejects.toThrow('again');
    expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ abandoned: 0, messages: 4 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(sentNaming(before, overtaken.app).webhooks).toBe(1);
    expect(sentNaming(before, kept.app).webhooks).toBe(1);
    // The rebuild recorded its larger plan before saving it: none of its messages stays in the outbox.
    expect(rebuilt.length).toBe(saved.length + 2);
    for (const id of rebuilt) expect(await outbox.load(id)).toBeUndefined();
  });

  it('removes what a crashed flush saved for a batch whose row records no count (rows from versions before the count)', async () => {
    const before = captured();
    const { overtaken, kept, saved, first } = await crashedAfterSaving('uncounted');
    const [batch] = (await lifecycle().digests.list(first)).batches;
    expect(await lifecycle().digests.setStep(first, { ...batch!, messages: 0 })).toBeDefined();
    const [, second] = (await windowBuckets()).sort();
    await flushDigest(second!, lifecycle(), utcNow());
    expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ items: 0, abandoned: 2 });
    await n.drain();
    expect(since(before)).toMatchObject({ mail: 2, teams: 2 });
    expect(sentNaming(before, overtaken.app)).toEqual(sentOnce);
    expect(sentNaming(before, kept.app)).toEqual(keptOnce);
    for (const id of saved) expect(await lifecycle().outbox.load(id)).toBeUndefined();
    expect(await windowBuckets()).toEqual([]);
  });

  it('removes only the generations no earlier rebuild cleared, however often rebuilds stop after clearing', async () => {
    const before = captured();
    const { first } = await crashedAfterSaving('bounded', false);
    const removedByAttempt: number[] = [];
    for (const attempt of [1, 2, 3]) {
      let removed = 0;
      const outbox = {
        ...lifecycle().outbox,
        remove: async (id: string) => {
          removed += 1;
          await lifecycle().outbox.remove(id);
        },
        save: async (messages: readonly OutboxMessage[]) => {
          await lifecycle().outbox.save(messages);
          throw new Error(`the instance stopped (${attempt})`);
        },
      };
      await expect(flushDigest(first, { ...lifecycle(), outbox }, utcNow())).rejects.toThrow('the instance stopped');
      removedByAttempt.push(removed);
    }
    // Each rebuild removes the one generation saved since the last one cleared, not every generation before it.
    expect(removedByAttempt).toEqual([4, 4, 4]);
    expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ messages: 4 });
    await sentOnceEachAndEmptied(before);
  });

  it('lets go of the bucket only once every removal of a rebuild that failed has ended', async () => {
    const before = captured();
    const { first } = await crashedAfterSaving('settled', false);
    let [calls, running] = [0, 0];
    const remove = async (id: string) => {
      calls += 1;
      if (calls === 1) throw new Error('the instance stopped again');
      running += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      await lifecycle().outbox.remove(id);
      running -= 1;
    };
    await expect(flushDigest(first, { ...lifecycle(), outbox: { ...lifecycle().outbox, remove } }, utcNow())).rejects.toThrow('again');
    expect({ calls, running }).toEqual({ calls: 4, running: 0 });
    await flushDigest(first, lifecycle(), utcNow());
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
  });

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

  /** How a flush the test let run ended: 'finished', or its error's message. */
  const outcomeOf = (flush: Promise<unknown>) =>
    flush.then(
      () => 'finished',
      (error: Error) => error.message,
    );
  /** A promise the test settles when it chooses: `wait` until `open()`. */
  const gate = () => {
    let open = () => undefined as void;
    const wait = new Promise<void>((resolve) => (open = resolve));
    return { wait, open };
  };
  /** Flush A of `bucket` saves its batch's messages, then stalls past its lease (5 minutes) until `goOn()`, before recording them saved. */
  async function stalledAfterSaving(bucket: string) {
    const { outbox } = lifecycle();
    const [saved, goesOn] = [gate(), gate()];
    const save = async (messages: readonly OutboxMessage[]) => {
      await outbox.save(messages);
      saved.open();
      await goesOn.wait;
    };
    const flush = flushDigest(bucket, { ...lifecycle(), outbox: { ...outbox, save } }, utcNow());
    await saved.wait;
    return { flush, goOn: goesOn.open };
  }

  it('sends each message of a batch once when the flush it was taken from goes on after its lease, and that flush fails', async () => {
    const before = captured();
    const { overtaken, kept, first } = await heldAWindowAgo('overlapping');
    const { outbox } = lifecycle();
    const a = await stalledAfterSaving(first);
    // Flush B leases the bucket after it, finds the batch at 'assigned', and is removing what A saved when A goes on;
    // B then stops before saving its rebuilt messages.
    const [bRemoving, bGoesOn] = [gate(), gate()];
    const remove = async (id: string) => {
      bRemoving.open();
      await bGoesOn.wait;
      await outbox.remove(id);
    };
    const stop = async () => Promise.reject(new Error('the instance stopped'));
    const taker = flushDigest(first, { ...lifecycle(), outbox: { ...outbox, remove, save: stop } }, utcNow().plus({ minutes: 6 }));
    await bRemoving.wait;
    a.goOn();
    const stalledOutcome = await outcomeOf(a.flush);
    bGoesOn.open();
    await expect(taker).rejects.toThrow('the instance stopped');
    await flushDigest(first, lifecycle(), utcNow().plus({ minutes: 12 }));
    await n.drain();
    // One mail and Teams card for the two findings, and one event each: A queued nothing, and B's removals took nothing queued.
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(sentNaming(before, overtaken.app).webhooks).toBe(1);
    expect(sentNaming(before, kept.app).webhooks).toBe(1);
    // A's failure is reported (the host logs it), naming why it stopped.
    expect(stalledOutcome).toMatch(/taken or finished by another flush/);
    expect(await windowBuckets()).toEqual([]);
  });

  it('sends each message of a rebuilt batch once when the rebuild before it stalled past its lease while removing', async () => {
    const before = captured();
    const { overtaken, kept, first, second } = await crashedAfterSaving('stalled removal');
    await flushDigest(second, lifecycle(), utcNow());
    const { outbox } = lifecycle();
    // Flush A claims the crashed batch and stalls past its lease in its second removal of what the crashed flush saved.
    const [aRemoving, aGoesOn] = [gate(), gate()];
    let calls = 0;
    const remove = async (id: string) => {
      calls += 1;
      if (calls === 2) {
        aRemoving.open();
        await aGoesOn.wait;
      }
      await outbox.remove(id);
    };
    const stalled = flushDigest(first, { ...lifecycle(), outbox: { ...outbox, remove } }, utcNow());
    await aRemoving.wait;
    // Flush B leases the bucket after it, rebuilds the batch without the overtaken decision, queues its messages, and finishes.
    expect(await flushDigest(first, lifecycle(), utcNow().plus({ minutes: 6 }))).toMatchObject({ abandoned: 2 });
    aGoesOn.open();
    const stalledOutcome = await outcomeOf(stalled);
    await n.drain();
    // A's removal that went on reached none of B's messages: each went out once.
    expect(since(before)).toMatchObject({ mail: 2, teams: 2 });
    expect(sentNaming(before, overtaken.app)).toEqual(sentOnce);
    expect(sentNaming(before, kept.app)).toEqual(keptOnce);
    expect(stalledOutcome).toMatch(/taken or finished by another flush/);
    expect(await windowBuckets()).toEqual([]);
  });

  it('frees the bucket when the flush holding it stops because a flush past its lease finished the batch first', async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('claim lost');
    const { digests } = lifecycle();
    const a = await stalledAfterSaving(first);
    // Flush B leases the bucket after it and lists the batch at 'assigned'; A finishes the batch before B claims it.
    const [bListed, bGoesOn] = [gate(), gate()];
    const list: DigestStore['list'] = async (bucket) => {
      const listed = await digests.list(bucket);
      bListed.open();
      await bGoesOn.wait;
      return listed;
    };
    const taker = flushDigest(first, { ...lifecycle(), digests: { ...digests, list } }, utcNow().plus({ minutes: 6 }));
    await bListed.wait;
    a.goOn();
    expect(await a.flush).toMatchObject({ kind: 'flushed' });
    bGoesOn.open();
    await expect(taker).rejects.toThrow(/taken or finished by another flush/);
    // B's ticket, back 30 s later, finds the bucket free (not busy until B's lease runs out) and closes it.
    expect(await flushDigest(first, lifecycle(), utcNow().plus({ minutes: 6, seconds: 30 }))).toMatchObject({ kind: 'flushed', items: 0 });
    await sentOnceEachAndEmptied(before);
  });

  it("sends a batch within its ticket's retry when the write taking its items landed but its answer was lost", async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('answer lost');
    // The service commits the transaction that creates the batch, its answer is lost, and the SDK's retry of it fails (409).
    const table = TableClient.fromConnectionString(n.stack.azurite.connectionString, tableNames.digests, { allowInsecureConnection: true });
    const submitTransaction: TableClient['submitTransaction'] = async (actions) => {
      if (actions.some(([kind, row]) => kind === 'create' && row.rowKey?.startsWith('batch|'))) await table.submitTransaction(actions);
      return table.submitTransaction(actions);
    };
    const digests = createDigestTable(Object.assign(Object.create(table) as TableClient, { submitTransaction }));
    await expect(flushDigest(first, { ...lifecycle(), digests }, utcNow())).rejects.toThrow(/may have landed unanswered/);
    // Its ticket, back 30 s later, finds the bucket free and sends the batch (not left at 'assigned' for the daily sweep).
    expect(await flushDigest(first, lifecycle(), utcNow().plus({ seconds: 30 }))).toMatchObject({ kind: 'flushed', messages: 4 });
    await sentOnceEachAndEmptied(before);
  });

  it('flushes when the write taking its lease landed but its answer was lost, instead of calling the bucket busy', async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('lease answer lost');
    // The service takes the lease (a Merge of the bucket's marker), its answer is lost, and the SDK's retry of it fails (412).
    const table = TableClient.fromConnectionString(n.stack.azurite.connectionString, tableNames.digests, { allowInsecureConnection: true });
    const updateEntity: TableClient['updateEntity'] = async (entity, mode, options) => {
      if ('leaseUntil' in entity && 'holder' in entity) await table.updateEntity(entity, mode, options);
      return table.updateEntity(entity, mode, options);
    };
    const digests = createDigestTable(Object.assign(Object.create(table) as TableClient, { updateEntity }));
    // Not 'busy' (its ticket dropped, the items left for the daily sweep): the lease is its own, and the batch goes out.
    expect(await flushDigest(first, { ...lifecycle(), digests }, utcNow())).toMatchObject({ kind: 'flushed', messages: 4 });
    await sentOnceEachAndEmptied(before);
  });

  it('a flush leaves alone a lease a version writing no holder took after its own ran out (during a deploy)', async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('older lease');
    const digests = lifecycle().digests;
    const at = utcNow();
    const mine = await digests.lease(first, toIsoUtc(at), toIsoUtc(at.plus({ minutes: 5 })));
    expect(mine).toBeDefined();
    // Six minutes on, the previous version leases the bucket: a Merge of the marker's end, with no holder of its own.
    const table = TableClient.fromConnectionString(n.stack.azurite.connectionString, tableNames.digests, { allowInsecureConnection: true });
    const theirs = toIsoUtc(at.plus({ minutes: 11 }));
    await table.updateEntity({ partitionKey: first, rowKey: markerRow, leaseUntil: theirs }, 'Merge');
    // The stalled flush's release fails on its fence; the marker still names it, but with another end: not its lease.
    await digests.release(first, mine!);
    expect(await digests.lease(first, toIsoUtc(at.plus({ minutes: 7 })), toIsoUtc(at.plus({ minutes: 12 })))).toBeUndefined();
    // Once the older lease runs out, a flush sends the window (and leaves it empty for the tests after this one).
    expect(await flushDigest(first, lifecycle(), at.plus({ minutes: 12 }))).toMatchObject({ kind: 'flushed', messages: 4 });
    await sentOnceEachAndEmptied(before);
  });

  it("removes no message for a batch at 'assigned' that has no items left, whatever count its row records", async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('emptied');
    // A row as a flush leaves it when every item of its batch was overtaken (its messages removed before its items),
    // and messages under its ids already queued (as by a flush whose row came back: never the case since setStep).
    const { items } = await lifecycle().digests.list(first);
    const leftover = {
      id: `leftover-${first}`,
      createdAt: utcNow().toISO()!,
      step: 'assigned' as const,
      messages: 4,
      abandoned: 0,
      generation: 0,
      cleared: 0,
    };
    const queued = messagesOfBatch(leftover, items, lifecycle().config);
    const lease = await lifecycle().digests.lease(first, leftover.createdAt, leftover.createdAt);
    expect(await lifecycle().digests.assign(first, leftover, [], lease!)).toBeDefined();
    await lifecycle().outbox.save(queued);
    await Promise.all(queued.map((m) => lifecycle().queue.enqueue({ id: m.id, attempt: 1 })));
    expect(await flushDigest(first, lifecycle(), utcNow())).toMatchObject({ items: 4, messages: 4 });
    await n.drain();
    // The batch's own messages and the queued ones: none was removed before it was sent.
    expect(since(before)).toEqual({ mail: 2, teams: 2, webhooks: 4 });
    expect(await windowBuckets()).toEqual([]);
  });

  it('sends held items once when a flush past its lease comes to take them after a later flush took them', async () => {
    const before = captured();
    const { first } = await heldAWindowAgo('fenced');
    const { digests, outbox } = lifecycle();
    // Flush A has read the held items and stalls past its lease before taking them into its batch.
    const [aTaking, aGoesOn] = [gate(), gate()];
    const assign: DigestStore['assign'] = async (...args) => {
      aTaking.open();
      await aGoesOn.wait;
      return digests.assign(...args);
    };
    const stalled = flushDigest(first, { ...lifecycle(), digests: { ...digests, assign } }, utcNow());
    await aTaking.wait;
    // Flush B leases the bucket after it, takes the items, and is about to save their messages when A goes on.
    const [bSaving, bGoesOn] = [gate(), gate()];
    const save = async (messages: readonly OutboxMessage[]) => {
      bSaving.open();
      await bGoesOn.wait;
      await outbox.save(messages);
    };
    const taker = flushDigest(first, { ...lifecycle(), outbox: { ...outbox, save } }, utcNow().plus({ minutes: 6 }));
    await bSaving.wait;
    aGoesOn.open();
    const stalledOutcome = await outcomeOf(stalled);
    bGoesOn.open();
    expect(await taker).toMatchObject({ items: 4 });
    await n.drain();
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(stalledOutcome).toMatch(/another flush leased it/);
    expect(await windowBuckets()).toEqual([]);
  });

  it("sends each message once when two flushes queue a batch at 'saved': the second started after the first recorded it saved", async () => {
    const before = captured();
    const { overtaken, kept, first } = await heldAWindowAgo('queued twice');
    const { queue } = lifecycle();
    // Flush A records its batch saved and stalls past its lease as it queues the messages (one ticket each).
    const [aQueueing, aGoesOn] = [gate(), gate()];
    let tickets = 0;
    const enqueue: typeof queue.enqueue = async (...args) => {
      aQueueing.open();
      await aGoesOn.wait;
      tickets += 1;
      return queue.enqueue(...args);
    };
    const stalled = flushDigest(first, { ...lifecycle(), queue: { ...queue, enqueue } }, utcNow());
    await aQueueing.wait;
    // Flush B leases the bucket after it, finds the batch at 'saved', queues what is in the outbox of it, and finishes.
    expect(await flushDigest(first, lifecycle(), utcNow().plus({ minutes: 6 }))).toMatchObject({ messages: 4 });
    // A goes on: its tickets are queued too (a second ticket per message), then its record of them fails.
    aGoesOn.open();
    expect(await outcomeOf(stalled)).toMatch(/taken or finished by another flush/);
    expect(tickets).toBe(4);
    await n.drain();
    // Each message went out once whatever its tickets: one mail and one Teams card for the two findings, one event each.
    expect(since(before)).toEqual({ mail: 1, teams: 1, webhooks: 2 });
    expect(sentNaming(before, overtaken.app).webhooks).toBe(1);
    expect(sentNaming(before, kept.app).webhooks).toBe(1);
    expect(await windowBuckets()).toEqual([]);
  });
});

describe("a bucket's lease", () => {
  it('leaves the bucket leased to the flush that leased it since, however the flush before it ends', async () => {
    const { digests } = lifecycle();
    const bucket = 'w-lease-kept';
    const start = utcNow();
    const until = (minutes: number) => toIsoUtc(start.plus({ minutes }));
    const a = await digests.lease(bucket, toIsoUtc(start), until(5));
    // B leases the bucket after A's lease ran out; A, still running, then fails or finishes.
    const b = await digests.lease(bucket, until(6), until(11));
    await digests.release(bucket, a!);
    await digests.close(bucket, a!);
    // A third flush (a ticket's retry) waits for B, instead of flushing the bucket beside it.
    expect(await flushDigest(bucket, lifecycle(), start.plus({ minutes: 7 }))).toEqual({ kind: 'busy' });
    await digests.close(bucket, b!);
    expect(await digests.listBuckets()).not.toContain(bucket);
  });
});
