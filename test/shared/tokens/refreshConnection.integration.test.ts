import type { SecretProperties } from '@azure/keyvault-secrets';
import { X509Certificate } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { ConnectionState } from '../../../shared/tokens/ConnectionState.js';
import { refreshConnection, type RefreshDeps } from '../../../shared/tokens/refreshConnection.js';
import { toConnectionView } from '../../../shared/tokens/toConnectionView.js';
import { toTagTime } from '../../../shared/tokens/toWrittenBackTags.js';
import { toIsoUtc } from '../../../shared/helpers/toIsoUtc.js';
import { selfSignedCertificate } from '../../support/selfSignedCertificate.js';
import { toRefreshDeps } from '../../../shared/wiring/createTokenKeeper.js';
import { startTestStack, type TestStack } from '../../support/startTestStack.js';
import { tokenEndpointFault } from '../../support/tokenEndpointFault.js';
import { TENANT, VAULT } from '../../support/testScenario.js';
import { cerbTags, IMAP, OPS_USER, seededSecretValues, signInAgain, tokenScenario } from './tokenScenario.js';

let stack: TestStack;
const events: VigilEvent[] = [];
const sleeps: number[] = [];
const storedTokens: string[] = [];
let tokenCalls = 0;

beforeAll(async () => {
  stack = await startTestStack({ scenario: tokenScenario() });
});
afterAll(async () => stack.stop());
beforeEach(() => {
  sleeps.length = 0;
  tokenCalls = 0;
});

/** Production collaborators, with events captured, waits recorded instead of slept, and token calls counted. */
function deps(): RefreshDeps {
  const keeper = stack.runtime.tokenKeeper;
  const real = toRefreshDeps(keeper, keeper.stores[0]!);
  return {
    ...real,
    sleep: async (ms) => void sleeps.push(ms),
    events: { publish: async (e) => void events.push(...e) },
    tokenEndpoint: { refresh: (request) => (tokenCalls++, real.tokenEndpoint.refresh(request)) },
  };
}
const ref = (name: string) => ({ vaultUrl: stack.runtime.tokenKeeper.stores[0]!.vaultUrl, name });
const cloudNow = () => DateTime.fromJSDate(stack.cloud.context.store.now(), { zone: 'utc' });
const advanceDays = (days: number) => stack.admin('/admin/clock', { advanceDays: days });
const eventsFor = (name: string, type: VigilEvent['type']) => events.filter((e) => e.type === type && e.subject.displayName === name);

async function versionsOf(name: string): Promise<SecretProperties[]> {
  const list: SecretProperties[] = [];
  for await (const p of stack.secretClient(VAULT).listPropertiesOfSecretVersions(name)) list.push(p);
  return list.sort((a, b) => a.createdOn!.getTime() - b.createdOn!.getTime());
}
async function currentValue(name: string): Promise<string> {
  const value = (await stack.secretClient(VAULT).getSecret(name)).value!;
  storedTokens.push(value);
  return value;
}

describe('refreshConnection against the local cloud', () => {
  it('probes without a new version until the stored token is 7 days old, then writes back and keeps two versions enabled', async () => {
    const run = () => refreshConnection(deps(), ref('cerb-mailbox'), cloudNow());
    expect(await run()).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy', consecutiveFailures: 0 } });
    expect(await versionsOf('cerb-mailbox')).toHaveLength(1);
    const probed = await stack.secretClient(VAULT).getSecret('cerb-mailbox');
    expect(probed.properties.tags).toMatchObject({
      ...cerbTags('helpdesk@contoso.onmicrosoft.com'),
      'vigil-granted-scopes': IMAP,
      'vigil-last-refresh': expect.any(String),
      'vigil-expected-lapse': expect.any(String),
    });

    await advanceDays(1);
    await run();
    expect(await versionsOf('cerb-mailbox')).toHaveLength(1);

    for (const expected of [2, 3, 4]) {
      await advanceDays(7);
      const result = await run();
      expect(result).toMatchObject({ kind: 'attempted', outcome: 'refreshed', warnings: [] });
      const versions = await versionsOf('cerb-mailbox');
      expect(versions).toHaveLength(expected);
      expect(versions.map((v) => v.enabled)).toEqual([...Array<boolean>(expected - 2).fill(false), true, true]);
      expect(await currentValue('cerb-mailbox')).toMatch(/^0\.Vigil/);
    }
    const newest = await stack.secretClient(VAULT).getSecret('cerb-mailbox');
    expect(newest.properties.tags).toMatchObject({
      'vigil-owner': 'helpdesk@contoso.onmicrosoft.com',
      'vigil-expected-lapse': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    const lapse = DateTime.fromISO(newest.properties.tags!['vigil-expected-lapse']!);
    expect(Math.abs(lapse.diff(cloudNow().plus({ days: 90 })).as('seconds'))).toBeLessThan(10);
    const refreshed = eventsFor('cerb-mailbox', 'token.refreshed');
    expect(refreshed.map((e) => e.type === 'token.refreshed' && e.data.wroteBack)).toEqual([false, false, true, true, true]);
    expect(eventsFor('cerb-mailbox', 'token.refresh_failed')).toEqual([]);
  });

  it('reports a revoked token once as revoked, and once recovered after a new token is stored', async () => {
    await stack.admin(`/admin/tenants/${TENANT}/users/${OPS_USER}/revoke-sessions`, {});
    const first = await refreshConnection(deps(), ref('ops-mailbox'), cloudNow());
    expect(first).toMatchObject({
      kind: 'attempted',
      outcome: 'failed',
      state: { status: 'failing', failureClass: 'revoked', lastErrorCode: 'AADSTS50173', consecutiveFailures: 1 },
    });
    await advanceDays(1);
    await refreshConnection(deps(), ref('ops-mailbox'), cloudNow());
    const failed = eventsFor('ops-mailbox', 'token.refresh_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      severity: 'critical',
      tenantId: TENANT,
      routing: { owner: OPS_USER, downstream: 'Cerb' },
      data: { failureClass: 'revoked', code: 'AADSTS50173', consecutiveFailures: 1 },
    });
    expect(failed[0]!.type === 'token.refresh_failed' && failed[0].data.whoMustAct).toBe(
      `${OPS_USER} signs in again to Cerb (app ${stack.cloud.seed!.appIds['Cerb Helpdesk']})`,
    );

    // The owner signs in again; the operator stores the new token with the connection's tags.
    const refreshToken = await signInAgain(stack);
    storedTokens.push(refreshToken);
    await stack.secretClient(VAULT).setSecret('ops-mailbox', refreshToken, { tags: cerbTags(OPS_USER) });
    const recovered = await refreshConnection(deps(), ref('ops-mailbox'), cloudNow());
    expect(recovered).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy' } });
    await refreshConnection(deps(), ref('ops-mailbox'), cloudNow().plus({ hours: 1 }));
    expect(eventsFor('ops-mailbox', 'token.recovered')).toHaveLength(1);
    expect(eventsFor('ops-mailbox', 'token.refresh_failed')).toHaveLength(1);
  });

  // Key Vault accepts an empty value; sent, it would come back as AADSTS900144 ("check the tags"), which are fine.
  // Spaces and line breaks are a paste that missed the token: sent, Entra would refuse them as no token it issued.
  it.each([
    ['empty-mailbox', '', 'empty'],
    ['blank-mailbox', ' \r\n\t ', 'only spaces, line breaks or other blank characters'],
    // A no-break space, a BOM and a full-width space: blank too, though no space bar typed them.
    ['nbsp-mailbox', '\u00a0\ufeff\u3000', 'only spaces, line breaks or other blank characters'],
  ])('tells the owner that the secret %s holds no refresh token (%j), without asking Entra', async (name, value, words) => {
    await stack.secretClient(VAULT).setSecret(name, value, { tags: cerbTags(OPS_USER) });
    const run = await refreshConnection(deps(), ref(name), cloudNow());
    expect(run).toMatchObject({
      kind: 'attempted',
      outcome: 'failed',
      state: { status: 'failing', failureClass: 'revoked', lastErrorCode: 'Token:Empty' },
    });
    expect(tokenCalls).toBe(0);
    const failed = eventsFor(name, 'token.refresh_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ severity: 'critical', routing: { owner: OPS_USER }, data: { code: 'Token:Empty' } });
    expect(failed[0]!.fix).toBe(
      `the secret holds no refresh token (its value is ${words}). Sign in again to Cerb (app ${stack.cloud.seed!.appIds['Cerb Helpdesk']}) ` +
        `in tenant ${TENANT} and store the new refresh token in ${new URL(ref(name).vaultUrl).host}/${name}, with its tags.`,
    );
  });

  it('retries a 5xx burst within the attempt, honouring Retry-After, without an alert', async () => {
    await refreshConnection(deps(), ref('flaky-mailbox'), cloudNow()); // Vigil's own Key Vault token is now cached
    tokenCalls = 0;
    await stack.admin('/admin/faults', tokenEndpointFault(503, 2, 2));
    const result = await refreshConnection(deps(), ref('flaky-mailbox'), cloudNow().plus({ days: 1 }));
    expect(result).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
    expect(tokenCalls).toBe(3); // two 503s, then the grant
    expect(sleeps).toEqual([2000, 2000]);
    expect(eventsFor('flaky-mailbox', 'token.refresh_failed')).toEqual([]);
  });

  it('alerts once when 5xx persists for 3 attempts over 6 hours, and recovers once', async () => {
    await stack.admin('/admin/faults', tokenEndpointFault(503, 1000));
    const start = cloudNow().plus({ days: 2 });
    const states = [];
    for (const hours of [0, 3, 6, 9]) {
      const run = await refreshConnection(deps(), ref('flaky-mailbox'), start.plus({ hours }));
      if (run.kind === 'attempted')
        states.push(
          run.state.status === 'failing'
            ? [run.state.failureClass, run.state.lastErrorCode, run.state.consecutiveFailures]
            : [undefined, undefined, run.state.consecutiveFailures],
        );
    }
    expect(states).toEqual([
      ['transient', 'HTTP 503', 1],
      ['transient', 'HTTP 503', 2],
      ['transient', 'HTTP 503', 3],
      ['transient', 'HTTP 503', 4],
    ]);
    const alerts = eventsFor('flaky-mailbox', 'token.refresh_failed');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'high', data: { failureClass: 'transient', consecutiveFailures: 3 } });
    await stack.admin('/admin/faults', undefined, 'DELETE');
    await refreshConnection(deps(), ref('flaky-mailbox'), start.plus({ hours: 12 }));
    expect(eventsFor('flaky-mailbox', 'token.recovered')).toHaveLength(1);
  });

  it('makes one token-endpoint call for two concurrent refreshes of one connection', async () => {
    const now = cloudNow();
    const runs = await Promise.all([
      refreshConnection(deps(), ref('twin-mailbox'), now),
      refreshConnection(deps(), ref('twin-mailbox'), now),
    ]);
    expect(runs.map((r) => r.kind).sort()).toEqual(['attempted', 'busy']);
    expect(tokenCalls).toBe(1);
    // The lease is given back: the next refresh runs.
    expect(await refreshConnection(deps(), ref('twin-mailbox'), now.plus({ minutes: 1 }))).toMatchObject({
      kind: 'attempted',
      outcome: 'refreshed',
    });
  });

  it('lets another worker take the lease of a holder that crashed, once the lease has expired', async () => {
    const keeper = stack.runtime.tokenKeeper;
    const now = cloudNow();
    const crashed = await keeper.leases.acquire(ref('twin-mailbox'), 'crashed-worker', now, keeper.policy.leaseDuration);
    expect(crashed.kind).toBe('acquired');
    expect(await refreshConnection(deps(), ref('twin-mailbox'), now.plus({ minutes: 4 }))).toMatchObject({ kind: 'busy' });
    expect(tokenCalls).toBe(0);
    expect(await refreshConnection(deps(), ref('twin-mailbox'), now.plus({ minutes: 5, seconds: 1 }))).toMatchObject({
      kind: 'attempted',
      outcome: 'refreshed',
    });
    // The crashed holder, should it come back, can no longer write.
    if (crashed.kind === 'acquired') expect(await keeper.leases.release(crashed.lease, undefined)).toBe(false);
  });

  it('loses nothing when Key Vault fails after the token endpoint answered: the next run succeeds with the stored token', async () => {
    const before = await currentValue('fragile-mailbox');
    await stack.admin('/admin/faults', {
      service: 'keyvault',
      path: '^/secrets/fragile-mailbox/?$',
      method: 'PUT',
      action: { kind: 'status', status: 503 },
      times: 3,
    });
    const failed = await refreshConnection(deps(), ref('fragile-mailbox'), cloudNow());
    expect(tokenCalls).toBe(1);
    expect(failed).toMatchObject({
      kind: 'attempted',
      outcome: 'failed',
      state: { status: 'failing', failureClass: 'transient', lastErrorCode: 'KeyVault:HTTP 503' },
    });
    expect(await currentValue('fragile-mailbox')).toBe(before);
    expect(await versionsOf('fragile-mailbox')).toHaveLength(1);

    const next = await refreshConnection(deps(), ref('fragile-mailbox'), cloudNow().plus({ hours: 1 }));
    expect(next).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy' } });
    expect(await versionsOf('fragile-mailbox')).toHaveLength(2);
    expect(await currentValue('fragile-mailbox')).not.toBe(before);
    expect(eventsFor('fragile-mailbox', 'token.refresh_failed')).toEqual([]);
  });

  it('reports a connection with broken tags as misconfigured, by name', async () => {
    const run = await refreshConnection(deps(), ref('broken-mailbox'), cloudNow());
    expect(run).toMatchObject({ kind: 'attempted', outcome: 'misconfigured', state: { status: 'misconfigured' } });
    expect(eventsFor('broken-mailbox', 'token.misconfigured')[0]).toMatchObject({
      data: {
        connection: 'broken-mailbox',
        problems: expect.arrayContaining(['vigil-tenant: is missing', 'vigil-cloud: must be one of global, usgov, usgovdod, china']),
      },
    });
  });

  describe('with a certificate instead of a client secret (private_key_jwt)', () => {
    /** Days the local cloud's clock is ahead of real time: test certificates are made valid from real time; Entra and Vigil's assertions go by the cloud's. */
    const cloudAheadDays = () => cloudNow().diff(DateTime.utc(), 'days').days;

    /** A Cerb connection signing in with the certificate stored in `certificateName`, for a fresh sign-in of the ops user. */
    async function certificateConnection(name: string, certificateName: string, pem: string) {
      storedTokens.push(pem);
      await stack.secretClient(VAULT).setSecret(certificateName, pem, { contentType: 'application/x-pem-file' });
      const refreshToken = await signInAgain(stack);
      storedTokens.push(refreshToken);
      const { 'vigil-client-secret-name': _secret, ...tags } = cerbTags(OPS_USER);
      await stack
        .secretClient(VAULT)
        .setSecret(name, refreshToken, { tags: { ...tags, 'vigil-client-certificate-name': certificateName } });
    }
    const upload = (certificatePem: string) =>
      stack.admin('/admin/applications/Cerb Helpdesk/key-credentials', { certificate: certificatePem });

    it("refreshes with a certificate uploaded to the app, and counts the certificate's end in the connection's lapse", async () => {
      // The certificate ends 20 days from the cloud's now: before the refresh token's 90 days.
      const certificate = await selfSignedCertificate('cerb-helpdesk', cloudAheadDays() + 20);
      await upload(certificate.certificatePem);
      await certificateConnection('cert-mailbox', 'cerb-certificate', certificate.pem);
      const run = await refreshConnection(deps(), ref('cert-mailbox'), cloudNow());
      expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy' } });
      const view = toConnectionView((run as { state: ConnectionState }).state, stack.runtime.tokenKeeper.policy);
      const certificateEnd = new Date(new X509Certificate(certificate.certificatePem).validTo).toISOString();
      expect(view).toMatchObject({
        credentialKind: 'certificate',
        clientSecret: null,
        clientCertificate: { name: 'cerb-certificate', endDateTime: certificateEnd },
        expectedLapse: certificateEnd,
        expectedLapseCause: 'clientCertificate',
      });
      expect(eventsFor('cert-mailbox', 'token.refreshed').at(-1)).toMatchObject({
        data: { expectedLapse: certificateEnd, lapseCause: 'clientCertificate' },
      });
    });

    it("dates the assertion by the token endpoint's clock, whatever instant the caller started from", async () => {
      // The queue function starts a refresh at the wall clock's now; the local cloud's clock is days ahead.
      expect(cloudAheadDays()).toBeGreaterThan(1);
      const run = await refreshConnection(deps(), ref('cert-mailbox'), DateTime.utc());
      expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy' } });
    });

    it.each([
      ['a certificate the app does not have', async () => (await selfSignedCertificate('not-uploaded')).pem],
      [
        'a certificate that has expired',
        async () => {
          const expired = await selfSignedCertificate('cerb-expired', cloudAheadDays() - 1);
          await upload(expired.certificatePem);
          return expired.pem;
        },
      ],
    ])('reports %s as the app credential problem it is, naming the certificate', async (_case, pemOf) => {
      const name = `cert-mailbox-${storedTokens.length}`;
      await certificateConnection(name, `${name}-certificate`, await pemOf());
      const run = await refreshConnection(deps(), ref(name), cloudNow());
      expect(run).toMatchObject({
        outcome: 'failed',
        state: { status: 'failing', failureClass: 'clientCredentialProblem', lastErrorCode: 'AADSTS700027' },
      });
      const failed = eventsFor(name, 'token.refresh_failed')[0];
      expect(failed).toMatchObject({ severity: 'critical', data: { failureClass: 'clientCredentialProblem', code: 'AADSTS700027' } });
      expect(failed!.type === 'token.refresh_failed' && failed.data.whoMustAct).toBe(
        `the owner of app ${stack.cloud.seed!.appIds['Cerb Helpdesk']} renews its certificate`,
      );
      expect(run).toMatchObject({ state: { remediation: expect.stringContaining(`/${name}-certificate`) } });
    });

    it('names a certificate secret that holds no private key before asking Entra', async () => {
      const certificate = await selfSignedCertificate('cerb-public-only');
      await certificateConnection('cert-mailbox-public', 'cert-mailbox-public-certificate', certificate.certificatePem);
      const calls = tokenCalls;
      const run = await refreshConnection(deps(), ref('cert-mailbox-public'), cloudNow());
      expect(run).toMatchObject({
        outcome: 'failed',
        state: { failureClass: 'clientCredentialProblem', lastErrorCode: 'Certificate:Unreadable' },
      });
      expect(tokenCalls).toBe(calls);
    });
  });

  describe('with the row the planner read (the queue handler)', () => {
    /** A Cerb connection for a fresh sign-in of the ops user, refreshed once so it has a state row; then the planner's read of that row. */
    async function plannedConnection(name: string) {
      const refreshToken = await signInAgain(stack);
      storedTokens.push(refreshToken);
      await stack.secretClient(VAULT).setSecret(name, refreshToken, { tags: cerbTags(OPS_USER) });
      expect(await refreshConnection(deps(), ref(name), cloudNow())).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
      const row = (await stack.runtime.tokenKeeper.states.listVaultRows(ref(name).vaultUrl)).find((r) => r.ref.name === name);
      if (row) return row.row;
      throw new Error(`${name} has no state row`);
    }

    /** The connection's tag updates (a probe's last Key Vault step) answer 400 ms late. */
    const slowTagUpdates = (name: string) =>
      stack.admin('/admin/faults', {
        service: 'keyvault',
        path: `^/secrets/${name}/[^/]+$`,
        method: 'PATCH',
        action: { kind: 'latency', ms: 400 },
      });

    it('reads the token beside taking the lease, and uses that read when nothing wrote the row since planning', async () => {
      const planned = await plannedConnection('planned-mailbox');
      const reads: string[] = [];
      const counted = deps();
      const store = counted.store;
      const run = await refreshConnection(
        { ...counted, store: { ...store, read: (name, options) => (reads.push(name), store.read(name, options)) } },
        ref('planned-mailbox'),
        cloudNow().plus({ hours: 1 }),
        { plannedAt: cloudNow().plus({ hours: 1 }), planned },
      );
      expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
      expect(reads.filter((name) => name === 'planned-mailbox')).toHaveLength(1);
    });

    it("writes the token read out before the lease's first Table request is made: the request Key Vault answers leaves first", async () => {
      const planned = await plannedConnection('prompt-mailbox');
      // node:http(s) writes a request made in a promise's continuation only once no microtask is left, so
      // Table work started beside it in the same turn would hold it back. Both ends, through one channel:
      // each request as it is created, and the token read's `finish` (handed to the operating system).
      const timeline: string[] = [];
      const onRequest = (message: unknown) => {
        const { request } = message as { request: ClientRequest };
        const line = `${request.method} ${request.path}`;
        timeline.push(`created ${line}`);
        if (line.startsWith('GET /secrets/prompt-mailbox/')) request.once('finish', () => timeline.push(`written ${line}`));
      };
      const real = deps();
      const at = cloudNow().plus({ hours: 3 });
      dc.subscribe('http.client.request.start', onRequest);
      try {
        const run = await refreshConnection(
          { ...real, leases: { ...real.leases, acquire: (...args) => (timeline.push('acquire'), real.leases.acquire(...args)) } },
          ref('prompt-mailbox'),
          at,
          { plannedAt: at, planned },
        );
        expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed' });
      } finally {
        dc.unsubscribe('http.client.request.start', onRequest);
      }
      const written = timeline.findIndex((line) => line.startsWith('written GET /secrets/prompt-mailbox/'));
      // The lease's first request: the first one made after `acquire` that is not Key Vault's.
      const acquired = timeline.indexOf('acquire');
      const lease = timeline.findIndex((line, i) => i > acquired && line.startsWith('created ') && !line.includes(' /secrets/'));
      expect(acquired).toBeGreaterThanOrEqual(0);
      expect(lease, timeline.join('\n')).toBeGreaterThan(acquired);
      expect(written, timeline.join('\n')).toBeGreaterThanOrEqual(0);
      expect(written, timeline.join('\n')).toBeLessThan(lease);
    });

    it('reads the token again under the lease when the row moved on since planning: a token stored meanwhile is the one redeemed', async () => {
      const planned = await plannedConnection('moved-mailbox');
      const keeper = stack.runtime.tokenKeeper;
      // A worker took the lease after planning and crashed: the row is no longer as planned, and its lease runs out.
      const start = cloudNow();
      expect((await keeper.leases.acquire(ref('moved-mailbox'), 'crashed-worker', start, keeper.policy.leaseDuration)).kind).toBe(
        'acquired',
      );
      // The owner signs in again while this refresh's early read is under way, before its lease is taken.
      let stored: string | undefined;
      const real = deps();
      const run = await refreshConnection(
        {
          ...real,
          leases: {
            ...real.leases,
            acquire: async (...args) => {
              const refreshToken = await signInAgain(stack);
              storedTokens.push(refreshToken);
              stored = (await stack.secretClient(VAULT).setSecret('moved-mailbox', refreshToken, { tags: cerbTags(OPS_USER) })).properties
                .version;
              return real.leases.acquire(...args);
            },
          },
        },
        ref('moved-mailbox'),
        start.plus({ minutes: 6 }),
        { plannedAt: start.plus({ minutes: 6 }), planned },
      );
      expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed', state: { status: 'healthy', tokenVersion: stored } });
    });

    it("saves the state and gives the lease up while a probe's tag update is still under way, and still reports the update", async () => {
      const planned = await plannedConnection('quick-mailbox');
      await slowTagUpdates('quick-mailbox');
      const at = cloudNow().plus({ hours: 2 });
      const real = deps();
      const keeper = stack.runtime.tokenKeeper;
      let seenAtRelease: { tag: string | undefined; state: ConnectionState | undefined; taken: string } | undefined;
      const run = await refreshConnection(
        {
          ...real,
          leases: {
            ...real.leases,
            release: async (...args) => {
              const kept = await real.leases.release(...args);
              // What another worker would find the moment the lease is given up.
              const tags = (await stack.secretClient(VAULT).getSecret('quick-mailbox')).properties.tags!;
              const other = await keeper.leases.acquire(ref('quick-mailbox'), 'other-worker', at, keeper.policy.leaseDuration);
              if (other.kind === 'acquired') await keeper.leases.release(other.lease, other.state);
              seenAtRelease = { tag: tags['vigil-last-refresh'], state: await keeper.states.get(ref('quick-mailbox')), taken: other.kind };
              return kept;
            },
          },
        },
        ref('quick-mailbox'),
        at,
        { plannedAt: at, planned },
      );
      expect(run).toMatchObject({ kind: 'attempted', outcome: 'refreshed', warnings: [], leaseLost: false });
      expect(seenAtRelease).toMatchObject({ taken: 'acquired', state: { status: 'healthy', lastAttempt: toIsoUtc(at) } });
      expect(seenAtRelease?.tag).not.toBe(toTagTime(at));
      // The refresh returned only once the tag update had ended.
      const tags = (await stack.secretClient(VAULT).getSecret('quick-mailbox')).properties.tags!;
      expect(tags['vigil-last-refresh']).toBe(toTagTime(at));
    });

    it("keeps the lease until a probe's tag update has ended and the old state when publishing fails, so the next attempt tells of it", async () => {
      const planned = await plannedConnection('unheard-mailbox');
      const before = await stack.runtime.tokenKeeper.states.get(ref('unheard-mailbox'));
      await slowTagUpdates('unheard-mailbox');
      const at = cloudNow().plus({ hours: 2 });
      const real = deps();
      let tagAtRelease: string | undefined;
      const failing = {
        ...real,
        events: { publish: () => Promise.reject(new Error('the event table is down')) },
        leases: {
          ...real.leases,
          release: async (...args: Parameters<typeof real.leases.release>) => {
            tagAtRelease = (await stack.secretClient(VAULT).getSecret('unheard-mailbox')).properties.tags!['vigil-last-refresh'];
            return real.leases.release(...args);
          },
        },
      };
      await expect(refreshConnection(failing, ref('unheard-mailbox'), at, { plannedAt: at, planned })).rejects.toThrow(
        'the event table is down',
      );
      // The lease was given up only once the tag update had ended.
      expect(tagAtRelease).toBe(toTagTime(at));
      const tags = (await stack.secretClient(VAULT).getSecret('unheard-mailbox')).properties.tags!;
      expect(tags['vigil-last-refresh']).toBe(toTagTime(at));
      expect(await stack.runtime.tokenKeeper.states.get(ref('unheard-mailbox'))).toEqual(before);

      const told = events.length;
      const next = await refreshConnection(deps(), ref('unheard-mailbox'), at.plus({ minutes: 1 }));
      expect(next).toMatchObject({ kind: 'attempted', outcome: 'refreshed', leaseLost: false });
      expect(events.slice(told).map((e) => e.type)).toEqual(['token.refreshed']);
    });
  });

  it('never puts a token or secret value in an event or a stored state', async () => {
    const states = await stack.runtime.tokenKeeper.states.list();
    const output = JSON.stringify({ events, states });
    const secrets = [...seededSecretValues(stack.cloud.seed!), ...storedTokens];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
