import type { TableClient } from '@azure/data-tables';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzurite, type Azurite } from '../../../../local/azurite/startAzurite.js';
import { createConnectionTable, toConnectionRow } from '../../../../shared/adapters/storage/connectionTable.js';
import { createTableClient } from '../../../../shared/adapters/storage/createTableClient.js';
import { createConcurrencyLimit } from '../../../../shared/helpers/createConcurrencyLimit.js';
import type { ConnectionState } from '../../../../shared/tokens/ConnectionState.js';
import type { PlannedRow } from '../../../../shared/tokens/PlannedRow.js';
import type { RefreshMessage } from '../../../../shared/tokens/RefreshMessage.js';
import type { SecretListing, TokenVault } from '../../../../shared/tokens/TokenPorts.js';
import { scheduleRefreshes } from '../../../../shared/tokens/scheduleRefreshes.js';
import { goodTags, policy, TENANT_ID, VAULT_URL } from '../../tokens/tokenTestData.js';

let azurite: Azurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(() => azurite.stop());

const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });
const ref = (name: string) => ({ vaultUrl: VAULT_URL, name });
const healthy = (name: string, lastAttempt: DateTime): ConnectionState => ({
  ...ref(name),
  status: 'healthy',
  consecutiveFailures: 0,
  lastAttempt: lastAttempt.toISO()!,
  lastSuccess: lastAttempt.toISO()!,
  nextAttemptAt: lastAttempt.plus({ hours: 24 }).toISO()!,
});

/** One vault's rows as the planner reads them. */
const rowsOf = (table: ReturnType<typeof createConnectionTable>, vaultUrl: string) => table.listVaultRows(vaultUrl);

/** A table client that counts its requests: Table Storage bills each, and each is a round trip. */
function countingClient(table: string): { client: TableClient; requests: () => number } {
  const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, table);
  let requests = 0;
  client.pipeline.addPolicy({ name: 'countRequests', sendRequest: (request, next) => (requests++, next(request)) });
  return { client, requests: () => requests };
}

describe('connection leases taken from the planned row', () => {
  it('take the lease in one request while the row is as planned, and read first once it changed', async () => {
    const { client, requests } = countingClient('LeasesPlanned');
    const table = createConnectionTable(client);
    const first = await table.acquire(ref('cerb-mailbox'), 'worker-0', NOW, policy.leaseDuration);
    if (first.kind !== 'acquired') throw new Error('the first lease must be free');
    await table.release(first.lease, healthy('cerb-mailbox', NOW));
    const planned = (await rowsOf(table, VAULT_URL)).find((r) => r.ref.name === 'cerb-mailbox')!.row;

    const before = requests();
    const asPlanned = await table.acquire(ref('cerb-mailbox'), 'worker-1', NOW.plus({ hours: 1 }), policy.leaseDuration, planned);
    expect(requests() - before).toBe(1);
    expect(asPlanned).toMatchObject({ kind: 'acquired', state: healthy('cerb-mailbox', NOW) });
    if (asPlanned.kind !== 'acquired') return;
    await table.release(asPlanned.lease, healthy('cerb-mailbox', NOW.plus({ hours: 1 })));

    // The same plan again (a duplicate message): the row moved on, so it is read, with the newer state.
    const stale = await table.acquire(ref('cerb-mailbox'), 'worker-2', NOW.plus({ hours: 2 }), policy.leaseDuration, planned);
    expect(stale).toMatchObject({ kind: 'acquired', state: healthy('cerb-mailbox', NOW.plus({ hours: 1 })) });
  });

  it('let only one of two workers with the same plan of a new connection take its lease', async () => {
    const { client, requests } = countingClient('LeasesNew');
    const table = createConnectionTable(client);
    await table.list();

    const before = requests();
    const winner = await table.acquire(ref('new-mailbox'), 'worker-1', NOW, policy.leaseDuration, { version: null });
    expect(requests() - before).toBe(1);
    const loser = await table.acquire(ref('new-mailbox'), 'worker-2', NOW, policy.leaseDuration, { version: null });

    expect(winner).toMatchObject({ kind: 'acquired', state: undefined });
    expect(loser).toMatchObject({ kind: 'busy' });
  });

  it('are never planned for a row whose lease is held, so a running refresh keeps it', async () => {
    const { client } = countingClient('LeasesHeld');
    const table = createConnectionTable(client);
    const names = ['held-mailbox', 'free-mailbox', 'new-mailbox'];
    for (const name of names.slice(0, 2)) {
      const lease = await table.acquire(ref(name), 'earlier', NOW.minus({ days: 2 }), policy.leaseDuration);
      if (lease.kind === 'acquired') await table.release(lease.lease, healthy(name, NOW.minus({ days: 2 })));
    }
    const running = await table.acquire(ref('held-mailbox'), 'running', NOW.minus({ minutes: 1 }), policy.leaseDuration);
    expect(running.kind).toBe('acquired');
    const sent: RefreshMessage[] = [];
    const listing = (name: string): SecretListing => ({ name, version: 'v1', tags: goodTags(), enabled: true, createdOn: undefined });
    const vault = {
      vaultUrl: VAULT_URL,
      list: async function* () {
        yield* names.map(listing);
      },
    } as unknown as TokenVault; // The planner only lists.

    await scheduleRefreshes(
      {
        stores: [vault],
        vaultHealth: { record: async () => [] },
        states: table,
        queue: { send: async (messages) => void sent.push(...messages) },
        events: { publish: async () => undefined },
        policy,
        homeTenantId: TENANT_ID,
      },
      NOW,
    );

    const planned = Object.fromEntries(sent.map((m) => [m.name, m.planned]));
    expect(Object.keys(planned).sort()).toEqual([...names].sort());
    expect(planned['held-mailbox']).toBeUndefined();
    expect(planned['free-mailbox']).toMatchObject({ state: { status: 'healthy' } });
    expect(planned['new-mailbox']).toEqual({ version: null });
    const stolen = await table.acquire(ref('held-mailbox'), 'planned', NOW, policy.leaseDuration, planned['held-mailbox']);
    expect(stolen.kind).toBe('busy');
  });
});

describe('a release', () => {
  it('merges a state that keeps every column over the row, and replaces the row when a column goes', async () => {
    const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'LeasesReleased');
    const methods: string[] = [];
    client.pipeline.addPolicy({ name: 'recordMethods', sendRequest: (request, next) => (methods.push(request.method), next(request)) });
    const table = createConnectionTable(client);
    const failing: ConnectionState = {
      ...healthy('cerb-mailbox', NOW),
      status: 'failing',
      consecutiveFailures: 1,
      failureClass: 'revoked',
      failingSince: NOW.toISO()!,
      lastErrorCode: 'AADSTS50173',
      whoMustAct: 'the mailbox owner',
      remediation: 'Sign in again.',
    };
    const releaseAs = async (at: DateTime, state: ConnectionState, planned?: PlannedRow) => {
      const taken = await table.acquire(ref('cerb-mailbox'), `worker-${at.toMillis()}`, at, policy.leaseDuration, planned);
      if (taken.kind !== 'acquired') throw new Error('the lease must be free');
      methods.length = 0;
      expect(await table.release(taken.lease, state)).toBe(true);
      return methods.join(' ');
    };
    const plannedRow = async () => (await rowsOf(table, VAULT_URL)).find((r) => r.ref.name === 'cerb-mailbox')!;

    // A new row, then a streak: columns added, none dropped.
    expect(await releaseAs(NOW, healthy('cerb-mailbox', NOW))).toBe('PATCH');
    expect(await releaseAs(NOW.plus({ hours: 1 }), failing)).toBe('PATCH');
    // The streak ends: its columns must go, so the row is replaced, and nothing of the failure is left.
    const recovered = healthy('cerb-mailbox', NOW.plus({ hours: 2 }));
    expect(await releaseAs(NOW.plus({ hours: 2 }), recovered, (await plannedRow()).row)).toBe('PUT');
    expect(await table.get(ref('cerb-mailbox'))).toEqual(recovered);
    const rows: Record<string, unknown>[] = [];
    for await (const entity of client.listEntities<Record<string, unknown>>()) rows.push(entity);
    expect(
      Object.keys(rows[0]!).filter((column) => ['failureClass', 'failingSince', 'lastErrorCode', 'leaseHolder'].includes(column)),
    ).toEqual([]);
    // Probed again, as planned: the same columns, merged; the row reads back as the new state with its lease free.
    const probed = healthy('cerb-mailbox', NOW.plus({ hours: 3 }));
    expect(await releaseAs(NOW.plus({ hours: 3 }), probed, (await plannedRow()).row)).toBe('PATCH');
    expect(await table.get(ref('cerb-mailbox'))).toEqual(probed);
    expect((await plannedRow()).leasedUntil).toBeUndefined();
    const next = await table.acquire(ref('cerb-mailbox'), 'worker-next', NOW.plus({ hours: 3 }), policy.leaseDuration);
    expect(next).toMatchObject({ kind: 'acquired', state: probed });
  });

  it('replaces a planned row holding columns its state lacks, so a value an older Vigil wrote never comes back', async () => {
    const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'LeasesLegacy');
    const table = createConnectionTable(client);
    // A healthy row as an older Vigil wrote it (its rows were flat): an alert class from a streak long over.
    const first = await table.acquire(ref('cerb-mailbox'), 'worker-0', NOW, policy.leaseDuration);
    if (first.kind !== 'acquired') throw new Error('the first lease must be free');
    await table.release(first.lease, healthy('cerb-mailbox', NOW));
    const { partitionKey, rowKey } = toConnectionRow(healthy('cerb-mailbox', NOW));
    await client.updateEntity({ partitionKey, rowKey, alertedClass: 'revoked' }, 'Merge');
    const refreshAs = async (at: DateTime, state: ConnectionState) => {
      const planned = (await rowsOf(table, VAULT_URL)).find((r) => r.ref.name === 'cerb-mailbox')!.row;
      const taken = await table.acquire(ref('cerb-mailbox'), `worker-${at.toMillis()}`, at, policy.leaseDuration, planned);
      if (taken.kind !== 'acquired' || !taken.asPlanned) throw new Error('the lease must be taken as planned');
      expect(await table.release(taken.lease, state)).toBe(true);
    };

    await refreshAs(NOW.plus({ hours: 1 }), healthy('cerb-mailbox', NOW.plus({ hours: 1 })));
    // A new streak, not yet alerted: the old alert class must not come back (it would silence the new alert).
    const failing: ConnectionState = {
      ...healthy('cerb-mailbox', NOW),
      status: 'failing',
      consecutiveFailures: 1,
      failureClass: 'interactionRequired',
      failingSince: NOW.plus({ hours: 2 }).toISO()!,
      lastErrorCode: 'AADSTS70000',
      whoMustAct: 'the mailbox owner',
      remediation: 'Sign in again.',
    };
    await refreshAs(NOW.plus({ hours: 2 }), failing);
    expect(await table.get(ref('cerb-mailbox'))).toEqual(failing);
  });
});

describe("a vault's rows", () => {
  it("are read as one key range holding that vault's rows and no other's, a lease-only row included", async () => {
    const { client, requests } = countingClient('VaultRows');
    const table = createConnectionTable(client);
    // A host that extends the vault's host sorts right beside its partitions.
    const neighbours = ['https://contoso-vigil.vault.azure.net.example', 'https://contoso-vigil2.vault.azure.net'];
    const names = Array.from({ length: 30 }, (_, i) => `mailbox-${i}`);
    for (const vaultUrl of [VAULT_URL, ...neighbours])
      for (const name of names) {
        const lease = await table.acquire({ vaultUrl, name }, 'earlier', NOW, policy.leaseDuration);
        if (lease.kind === 'acquired') await table.release(lease.lease, { ...healthy(name, NOW), vaultUrl });
      }
    await table.acquire(ref('lease-only'), 'running', NOW, policy.leaseDuration);

    const before = requests();
    const rows = await rowsOf(table, VAULT_URL);
    expect(rows.map((r) => r.ref.name).sort()).toEqual([...names, 'lease-only'].sort());
    expect(new Set(rows.map((r) => new URL(r.ref.vaultUrl).host))).toEqual(new Set([new URL(VAULT_URL).host]));
    expect(rows.find((r) => r.ref.name === 'lease-only')).toMatchObject({
      row: { version: expect.any(String) },
      leasedUntil: expect.any(String),
    });
    expect(rows.find((r) => r.ref.name === 'mailbox-0')?.row.state).toEqual(healthy('mailbox-0', NOW));
    // Azurite answers the range in one page (Table Storage may end a page at a partition's end).
    expect(requests() - before).toBe(1);
  });

  it('are read a few hundred at a time, every row of a larger vault included', async () => {
    const { client, requests } = countingClient('PagedRows');
    await client.createTable();
    const names = Array.from({ length: 600 }, (_, i) => `mailbox-${String(i).padStart(3, '0')}`);
    const limit = createConcurrencyLimit(8);
    await Promise.all(names.map((name) => limit(() => client.createEntity(toConnectionRow(healthy(name, NOW))))));
    const table = createConnectionTable(client);

    const before = requests();
    const rows = await rowsOf(table, VAULT_URL);
    expect(rows.map((r) => r.ref.name).sort()).toEqual(names);
    // Table Storage would give the vault's 600 rows in one page: each page is held whole while it is read, so
    // pages of at most 250 (a page may also end early, at a partition's end).
    expect(requests() - before).toBeGreaterThanOrEqual(3);
    expect(requests() - before).toBeLessThan(names.length / 100);
  });

  it('hold each state as saved, and one copy of the credential facts and problems they repeat', async () => {
    const table = createConnectionTable(
      createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'SharedRows'),
    );
    const clientSecret = {
      kind: 'clientSecret' as const,
      name: 'app-secret',
      appId: null,
      keyId: null,
      endDateTime: '2027-06-01T00:00:00.000Z',
    };
    const problems = ['vigil-tenant: is missing'];
    const states: ConnectionState[] = [
      { ...healthy('mailbox-a', NOW), clientSecret, tenant: TENANT_ID },
      { ...healthy('mailbox-b', NOW.minus({ hours: 1 })), clientSecret, tenant: TENANT_ID },
      {
        ...healthy('mailbox-c', NOW),
        status: 'failing',
        consecutiveFailures: 2,
        clientSecret,
        failureClass: 'clientCredentialProblem',
        failingSince: NOW.minus({ hours: 2 }).toISO()!,
        lastErrorCode: 'AADSTS7000222',
        whoMustAct: 'the app owner',
        remediation: 'Renew the client secret.',
      },
      { ...ref('mailbox-d'), status: 'misconfigured', consecutiveFailures: 0, problems },
      { ...ref('mailbox-e'), status: 'misconfigured', consecutiveFailures: 0, problems },
    ];
    for (const state of states) expect(await table.saveUnleased(state, NOW)).toBe(true);

    const read = new Map((await rowsOf(table, VAULT_URL)).map((r) => [r.ref.name, r.row.state]));
    expect(states.map((s) => read.get(s.name))).toEqual(states);
    const [a, b, c, d, e] = states.map((s) => read.get(s.name));
    expect(b?.clientSecret).toBe(a?.clientSecret);
    expect(c?.clientSecret).toBe(a?.clientSecret);
    expect(e?.status === 'misconfigured' && e.problems).toBe(d?.status === 'misconfigured' && d.problems);
  });
});

const base = { ...ref('cerb-mailbox'), consecutiveFailures: 0 } as const;
const everyShape: Record<string, ConnectionState> = {
  'a new healthy connection': { ...base, status: 'healthy', lastAttempt: '2026-11-23T06:00:00.000Z' },
  'a healthy one with fields set to undefined': { ...base, status: 'healthy', tenant: undefined, owner: 'ops@contoso.com' },
  'a failing one with its client secret and finding': {
    ...base,
    status: 'failing',
    consecutiveFailures: 2,
    failureClass: 'revoked',
    failingSince: '2026-11-22T06:00:00.000Z',
    lastErrorCode: 'invalid_grant',
    whoMustAct: 'the mailbox owner',
    remediation: 'sign in again',
    alertedClass: 'revoked',
    clientSecret: { kind: 'clientSecret', name: 'cerb-client-secret', appId: null, keyId: null, endDateTime: null },
    linkedFinding: {
      findingId: 'f-1',
      tenantId: 't-1',
      objectId: 'o-1',
      keyId: 'k-1',
      subjectName: 'Cerberus',
      endDateTime: '2026-11-20T00:00:00.000Z',
      status: 'expired',
    },
  },
  'a misconfigured one': { ...base, status: 'misconfigured', problems: ['no vigil-client-id tag'] },
};

describe("a state's columns", () => {
  it.each(Object.entries(everyShape))(
    'are read back as the state toConnectionRow wrote, no stray column, and an unchanged state is merged over them: %s',
    async (_, state) => {
      const client = createTableClient({ kind: 'connectionString', connectionString: azurite.connectionString }, 'StateColumns');
      const methods: string[] = [];
      client.pipeline.addPolicy({ name: 'recordMethods', sendRequest: (request, next) => (methods.push(request.method), next(request)) });
      const table = createConnectionTable(client);
      expect(await table.saveUnleased(state, NOW)).toBe(true);
      const planned = (await rowsOf(table, state.vaultUrl)).find((r) => r.ref.name === state.name)!.row;
      // A column the planner's rule missed would mark the row as holding stray columns; one it named that the
      // row lacks would replace the row on release. Either costs every refresh of such a row.
      expect(planned).toEqual({ version: expect.any(String), state });
      const taken = await table.acquire(state, 'worker', NOW, policy.leaseDuration, planned);
      if (taken.kind !== 'acquired' || !taken.asPlanned) throw new Error('the lease must be taken as planned');
      methods.length = 0;
      expect(await table.release(taken.lease, state)).toBe(true);
      expect(methods).toEqual(['PATCH']);
    },
  );
});
