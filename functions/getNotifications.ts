import { PAGE_SIZE } from '../shared/paging/pageQuerySchema.js';
import { deliveryLogQuerySchema, type DeliveryLogPageView } from '../shared/notifications/deliveryLogEntrySchema.js';
import { authorize } from './authorize.js';
import { nextLinkOf, readPage } from './paging.js';
import { parseQuery } from './parseQuery.js';
import type { FunctionDefinition } from './FunctionDefinition.js';

/**
 * `GET /api/notifications[?route=ops&$top=50]`: the delivery log, newest first, a page at a time (`value`,
 * `nextLink` while more follow). Entries name routes, channels, findings and outcomes; never a URL (a
 * Workflow URL carries its credential) or a secret.
 */
export const getNotifications: FunctionDefinition = {
  kind: 'http',
  name: 'getNotifications',
  methods: ['GET'],
  authLevel: 'function',
  route: 'notifications',
  async handler(request, _context, runtime) {
    const auth = await authorize(request, runtime, 'Vigil.Read');
    if (auth.kind !== 'authorized') return auth.response;
    const parsed = parseQuery(request, deliveryLogQuerySchema);
    if (!parsed.ok) return parsed.response;
    const { route, $top, $skipToken } = parsed.value;
    const read = await readPage(() => runtime.notifications.log.page({ route }, { size: $top ?? PAGE_SIZE.default, after: $skipToken }));
    if (!read.ok) return read.response;
    return {
      status: 200,
      jsonBody: { value: read.page.entries, ...nextLinkOf(request.url, read.page.next) } satisfies DeliveryLogPageView,
    };
  },
};
