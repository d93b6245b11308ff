import type { StoredFlow, StoredLink } from '../../../shared/signIn/SignInLink.js';
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
