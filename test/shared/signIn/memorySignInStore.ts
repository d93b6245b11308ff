import type { StoredFlow, StoredLink } from '../../../shared/signIn/SignInLink.js';
import type { SignInStore } from '../../../shared/signIn/SignInStore.js';

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
    sweep: async () => undefined,
  };
}
