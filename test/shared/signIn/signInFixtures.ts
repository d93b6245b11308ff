import type { DateTime } from 'luxon';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import type { StoredFlow, StoredLink } from '../../../shared/signIn/SignInLink.js';
import type { TokenVault } from '../../../shared/tokens/TokenPorts.js';
import { tokenFailed } from '../notifications/notificationFixtures.js';
import type { SignInStore } from '../../../shared/signIn/SignInPorts.js';

/** The tags of a Cerb mailbox connection whose owner is helpdesk@contoso.com, for unit tests. */
export const cerbTags = {
  'vigil-kind': 'delegated-refresh-token',
  'vigil-tenant': '11111111-1111-4111-8111-111111111111',
  'vigil-client-id': '44f628de-020f-43a1-ad06-1b052459bdc3',
  'vigil-client-secret-name': 'cerb-client-secret',
  'vigil-scopes': 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
  'vigil-owner': 'helpdesk@contoso.com',
};

/** An in-memory SignInStore for unit tests: the Table Storage one is covered by the integration tests. */
export function memorySignInStore(): SignInStore & { links: Map<string, StoredLink> } {
  const links = new Map<string, StoredLink>();
  const flows = new Map<string, StoredFlow>();
  const retired = new Map<string, string>();
  return {
    links,
    saveLink: async (hash, link) => void links.set(hash, link),
    readLink: async (hash) => (links.has(hash) ? { link: links.get(hash)!, etag: JSON.stringify(links.get(hash)) } : undefined),
    async markUsed(hash, etag, usedAt) {
      const link = links.get(hash);
      if (!link || JSON.stringify(link) !== etag) return false;
      links.set(hash, { ...link, status: 'used', usedAt });
      return true;
    },
    linksValidFrom: async (key) => retired.get(key),
    retireLinks: async (key, from) => void retired.set(key, from),
    saveFlow: async (hash, flow) => void flows.set(hash, flow),
    async takeFlow(hash) {
      const flow = flows.get(hash);
      flows.delete(hash);
      return flow;
    },
    sweep: async () => 0,
  };
}

/** A vault holding the Cerb connection (tagged with `cerbTags`) and its client secret; it records what is written. */
export function fakeVault(
  vaultUrl: string,
  now: DateTime,
): TokenVault & {
  written: Array<{ name: string; tags: Record<string, string> }>;
  reads: Array<{ name: string; maxAgeMs?: number | undefined }>;
} {
  const written: Array<{ name: string; tags: Record<string, string> }> = [];
  const reads: Array<{ name: string; maxAgeMs?: number | undefined }> = [];
  const secret = (name: string, value: string, t: Record<string, string>) => ({
    name,
    value,
    version: 'v1',
    tags: t,
    contentType: undefined,
    createdOn: now,
  });
  return {
    vaultUrl,
    written,
    reads,
    list: async function* () {},
    read: async (name, options) =>
      reads.push({ name, ...(options ?? {}) }) && name === 'cerb-mailbox'
        ? { ok: true, value: secret(name, 'dead-token', cerbTags) }
        : name === 'cerb-client-secret'
          ? { ok: true, value: secret(name, 'client-secret', {}) }
          : { ok: false, failure: { kind: 'notFound' } },
    forget: () => undefined,
    writeVersion: async (name, _value, t) => (
      written.push({ name, tags: t }),
      { ok: true, value: { version: `v${written.length + 1}`, createdOn: now } }
    ),
    updateTags: async () => ({ ok: true, value: undefined }),
    listVersions: async () => ({ ok: true, value: [] }),
    disableVersion: async () => ({ ok: true, value: undefined }),
  };
}

/** A refresh failure of the Cerb connection (`cerbTags`) of the given class, owned by `owner` when one is given. */
export const reconnectAlert = (failureClass: string, owner: string | null = 'helpdesk@contoso.com'): VigilEvent => {
  const event = tokenFailed('cerb-mailbox');
  if (event.type !== 'token.refresh_failed') throw new Error('fixture');
  const { owner: _owner, ...routing } = event.routing;
  return {
    ...event,
    routing: { ...routing, ...(owner ? { owner } : {}), tags: cerbTags },
    data: { ...event.data, failureClass: failureClass as 'revoked' },
  };
};
