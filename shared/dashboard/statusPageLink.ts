/** The status page's route (functions/getDashboard.ts), under Vigil's public base URL. */
const statusPagePath = '/api/dashboard';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Vigil's status page, filtered to a tenant (`?tenant=`, which the page takes only as a GUID) and
 * scrolled to a finding (`#f-…`): where a notification sends a person to see the finding beside
 * everything else Vigil knows, snooze it, or check it is gone.
 */
export function statusPageLink(publicBaseUrl: string, at: { tenantId?: string; findingId?: string } = {}): string {
  const query = at.tenantId && uuid.test(at.tenantId) ? `?tenant=${at.tenantId}` : '';
  return `${publicBaseUrl}${statusPagePath}${query}${at.findingId ? `#${encodeURIComponent(at.findingId)}` : ''}`;
}
