import { statusPageLink } from '../dashboard/statusPageLink.js';
import { appRegistrationsLink } from '../scanner/portalLinks.js';
import { runbookTitle, statusPageTitle, type ItemLink, type ItemView, type RenderOptions } from './describeItem.js';
import { heldInPartDetail } from './describePart.js';

/** The one tenant all items are in, if they are: a digest-wide portal link can only name one directory. */
const tenantOf = (views: readonly ItemView[]): string | undefined =>
  views.length > 0 && views.every((v) => v.tenantId === views[0]!.tenantId) ? views[0]!.tenantId : undefined;

/** Vigil's status page for a digest's items (for their tenant, when they share one), when Vigil's address is known. */
const statusUrlOf = (views: readonly ItemView[], options: RenderOptions): string | undefined => {
  const tenant = tenantOf(views);
  return options.publicBaseUrl ? statusPageLink(options.publicBaseUrl, tenant ? { tenantId: tenant } : {}) : undefined;
};

/**
 * Links for a whole digest (each item carries its own): one item's portal page, or for several items in
 * one tenant that tenant's app registrations (never the first item's page standing in for all); the
 * runbook when some item is a credential to renew, and Vigil's status page (for the tenant, when one).
 */
export function digestLinks(views: readonly ItemView[], options: RenderOptions): ItemLink[] {
  const tenant = tenantOf(views);
  const portal = views.length === 1 ? views[0]!.portalUrl : tenant ? appRegistrationsLink(options.portalBase, tenant) : undefined;
  const runbook = views.flatMap((v) => v.links).find((l) => l.title === runbookTitle);
  const status = statusUrlOf(views, options);
  return [
    ...(portal ? [{ title: views.length === 1 ? 'Open in the Azure portal' : 'App registrations in the Azure portal', url: portal }] : []),
    ...(runbook ? [runbook] : []),
    ...(status ? [{ title: statusPageTitle, url: status }] : []),
  ];
}

/**
 * Where a person sees every item of a digest that had to be shortened: Vigil's status page, else (for one
 * tenant) its app registrations in the portal; undefined when neither can be named. `lead` goes before the link.
 */
export function seeAllLink(views: readonly ItemView[], options: RenderOptions): (ItemLink & { lead: string }) | undefined {
  const status = statusUrlOf(views, options);
  if (status) return { lead: 'on ', title: "Vigil's status page", url: status };
  const tenant = tenantOf(views);
  return tenant ? { lead: '', title: 'the Azure portal', url: appRegistrationsLink(options.portalBase, tenant) } : undefined;
}

/**
 * The line a digest carries when some of its items were sent as part of a decision Vigil could not store
 * whole (NotificationItem.heldInPart), with where to see the current state: the status page, when known.
 */
export function partNotice(views: readonly ItemView[], options: RenderOptions): { text: string; link: ItemLink | undefined } | undefined {
  if (!views.some((v) => v.heldInPart)) return undefined;
  const status = statusUrlOf(views, options);
  return {
    text: `Part of an update Vigil could not store whole: the items marked “${heldInPartDetail.label}” may not show the latest state. See Vigil's status page.`,
    link: status ? { title: statusPageTitle, url: status } : undefined,
  };
}
