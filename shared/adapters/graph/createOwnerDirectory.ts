import type { Client } from '@microsoft/microsoft-graph-client';
import type { MailOwners, OwnerDirectory } from '../../notifications/ChannelOutcome.js';
import { describeError } from '../../helpers/describeError.js';

interface OwnerObject {
  '@odata.type'?: string;
  mail?: string | null;
  userPrincipalName?: string | null;
}

/** At most this many apps are looked up per message: owners are a courtesy copy, not the route's audience. */
const maxSubjects = 25;

/** At most this many apps are named per reason in the warning: an outage fails them all the same way. */
const namedPerReason = 3;

/** One line for a message's lookups that failed, by reason (describeError: secret-free), so an outage is one line a mail. */
function unreadOwners(failures: readonly { subject: string; reason: string }[]): string {
  const byReason = new Map<string, string[]>();
  for (const f of failures) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), f.subject]);
  const reasons = [...byReason].map(([reason, subjects]) => {
    const more = subjects.length > namedPerReason ? ` and ${subjects.length - namedPerReason} more` : '';
    return `${subjects.slice(0, namedPerReason).join(', ')}${more}: ${reason}`;
  });
  const apps = failures.length === 1 ? '1 app' : `${failures.length} apps`;
  return `could not read the owners of ${apps}, left out of the mail's recipients: ${reasons.join('; ')}`;
}

/**
 * The mail addresses of the users who own the apps a digest is about (`GET /applications/{id}/owners`,
 * or `/servicePrincipals/{id}/owners`), in the home tenant. A failed lookup leaves that app's owners
 * out: the route's own recipients still get the mail, `warn` (Vigil's log) says which, in one line, and `unread`
 * carries that line, so a mail whose only recipients are the owners is tried again rather than failed for good.
 */
export function createOwnerDirectory(graph: Client, homeTenantId: string, warn: (line: string) => void): OwnerDirectory {
  return {
    async mailOwnersOf(subjects): Promise<MailOwners> {
      const wanted = subjects.filter((s) => s.tenantId === homeTenantId && (s.kind === 'application' || s.kind === 'servicePrincipal'));
      const unique = [...new Map(wanted.map((s) => [`${s.kind}/${s.id}`, s])).values()].slice(0, maxSubjects);
      const failures: { subject: string; reason: string }[] = [];
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
            failures.push({ subject: `${s.kind} ${s.id}`, reason: describeError(error) });
            return [];
          }
        }),
      );
      const unread = failures.length > 0 ? unreadOwners(failures) : undefined;
      if (unread) warn(unread);
      return { addresses: [...new Set(lists.flat().map((a) => a.toLowerCase()))], unread };
    },
  };
}
