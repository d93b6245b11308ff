import type { Client } from '@microsoft/microsoft-graph-client';
import type { OwnerDirectory } from '../../notifications/ChannelOutcome.js';
import { statusOf } from '../azure/isTransientStatus.js';

interface OwnerObject {
  '@odata.type'?: string;
  mail?: string | null;
  userPrincipalName?: string | null;
}

/** At most this many apps are looked up per message: owners are a courtesy copy, not the route's audience. */
const maxSubjects = 25;

/**
 * The mail addresses of the users who own the apps a digest is about (`GET /applications/{id}/owners`,
 * or `/servicePrincipals/{id}/owners`), in the home tenant. A failed lookup leaves that app's owners
 * out and never fails the mail: the route's own recipients still get it, and `warn` (Vigil's log) says which.
 */
export function createOwnerDirectory(graph: Client, homeTenantId: string, warn: (line: string) => void): OwnerDirectory {
  return {
    async mailOwnersOf(subjects) {
      const wanted = subjects.filter((s) => s.tenantId === homeTenantId && (s.kind === 'application' || s.kind === 'servicePrincipal'));
      const unique = [...new Map(wanted.map((s) => [`${s.kind}/${s.id}`, s])).values()].slice(0, maxSubjects);
      const lists = await Promise.all(
        unique.map(async (s) => {
          try {
            const page = (await graph
              .api(`/${s.kind === 'application' ? 'applications' : 'servicePrincipals'}/${encodeURIComponent(s.id)}/owners`)
              .get()) as { value: OwnerObject[] };
            return page.value
              .filter((o) => o['@odata.type'] === '#microsoft.graph.user')
              .flatMap((o) => o.mail ?? o.userPrincipalName ?? []);
          } catch (error) {
            warn(`could not read the owners of ${s.kind} ${s.id}: HTTP ${statusOf(error) ?? '?'}`);
            return [];
          }
        }),
      );
      return [...new Set(lists.flat().map((a) => a.toLowerCase()))];
    },
  };
}
