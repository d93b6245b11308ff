import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvocationContext } from '../../functions/azureFunctions.js';
import { rotationTimer } from '../../functions/rotationTimer.js';
import { runRotationSchedule } from '../../shared/rotation/runRotationSchedule.js';
import { rotationRequestContext } from '../../shared/wiring/createRotationDeps.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { VAULT } from '../support/testScenario.js';
import { startRotationStack, type RotationStack } from './rotationStack.js';
import { timerArgument } from '../../local/devhost/runTimerFunctions.js';

let r: RotationStack;
let runtime: Runtime;
const logs: string[] = [];
const timer = timerArgument(null);
const runTimer = async () => {
  if (rotationTimer.kind !== 'timer') throw new Error('rotationTimer is a timer');
  await rotationTimer.handler(
    timer,
    new InvocationContext({ functionName: 'rotationTimer', logHandler: (_level, ...args) => logs.push(args.join(' ')) }),
    runtime,
  );
};
const secretsOf = (app: string) => r.stack.cloud.context.store.application(r.appId(app))!.app.passwordCredentials;

beforeAll(async () => {
  r = await startRotationStack();
  // Creatio opts in by tags on its vault secret; Cerb by a rule, with far more time left than its threshold.
  const vault = r.stack.secretClient(VAULT);
  const current = await vault.getSecret('creatio-client-secret');
  await vault.updateSecretProperties('creatio-client-secret', current.properties.version!, {
    tags: { ...current.properties.tags, 'vigil-app-id': r.appId('Creatio CRM'), 'vigil-rotate-within-days': '30' },
  });
  runtime = r.runtimeWith({
    VIGIL_ROTATION_RULES: JSON.stringify([{ appId: r.appId('Cerb Helpdesk'), vaultSecretName: 'cerb-client-secret', withinDays: 30 }]),
  });
});
afterAll(async () => r?.stack.stop());

describe('rotationTimer: policy-driven rotation through the same state machine', () => {
  it('rotates an opted-in app whose secret has fewer days left than its threshold, and only that one', async () => {
    const creatioBefore = secretsOf('Creatio CRM').map((c) => c.keyId);
    const cerbBefore = secretsOf('Cerb Helpdesk').map((c) => c.keyId);
    await runTimer();
    expect(logs.at(-1)).toMatch(/0 queued to resume, 1 started by policy/);
    await r.drain(runtime);

    const added = secretsOf('Creatio CRM').filter((c) => !creatioBefore.includes(c.keyId));
    expect(added).toHaveLength(1);
    expect(added[0]!.displayName).toMatch(/^vigil:rot-.* by Vigil policy \(tag, 9 days left\)$/);
    expect(secretsOf('Cerb Helpdesk').map((c) => c.keyId)).toEqual(cerbBefore);
    const tags = (await r.stack.secretClient(VAULT).getSecret('creatio-client-secret')).properties.tags;
    expect(tags).toMatchObject({ 'vigil-key-id': added[0]!.keyId, 'vigil-rotate-within-days': '30' });
  });

  it('a second run starts nothing: the new secret is far from its threshold', async () => {
    const before = secretsOf('Creatio CRM').length;
    await runTimer();
    expect(logs.at(-1)).toMatch(/0 queued to resume, 0 started by policy/);
    expect(secretsOf('Creatio CRM')).toHaveLength(before);
  });

  it('queues the retirement once the grace period is over', async () => {
    const open = await runtime.rotation.store.listOpen();
    expect(open.map((o) => o.step)).toEqual(['retire']);
    const queued: string[] = [];
    const deps = { ...runtime.rotation, queue: { enqueue: async (id: string) => void queued.push(id) } };
    const input = { rules: [], vaults: [], context: rotationRequestContext(runtime.settings) };
    expect((await runRotationSchedule(input, deps, DateTime.utc().plus({ days: 6 }))).resumed).toEqual([]);
    expect((await runRotationSchedule(input, deps, DateTime.utc().plus({ days: 7, minutes: 1 }))).resumed).toEqual([open[0]!.id]);
  });
});
