import { newPasswordCredential, newSamlSigningCertificate, stableGuid } from '../state/credentials.js';
import type { Directory } from '../state/Directory.js';
import { newApplicationRecord, newServicePrincipalRecord } from '../state/newDirectoryRecords.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';

/** The tenant Microsoft's first-party applications are registered in (appOwnerOrganizationId of their service principals). */
export const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/** A few of the first-party apps every tenant holds a service principal for, with their well-known app ids. */
const wellKnownFirstParty: ReadonlyArray<readonly [string, string]> = [
  ['00000003-0000-0000-c000-000000000000', 'Microsoft Graph'],
  ['00000002-0000-0ff1-ce00-000000000000', 'Office 365 Exchange Online'],
  ['00000003-0000-0ff1-ce00-000000000000', 'Office 365 SharePoint Online'],
  ['cfa8b339-82a2-471a-a3c9-0fc0be7a4093', 'Azure Key Vault'],
  ['797f4846-ba00-4fd7-ba43-dac1f8f63013', 'Windows Azure Service Management API'],
  ['00000007-0000-0000-c000-000000000000', 'Dataverse'],
];

/** App ids of the stand-in first-party apps: the same in every tenant, as Microsoft's apps are. */
const standInAppIds = countedGuids(stableGuid('microsoft/appId'));

/**
 * Microsoft's own service principals, as a real tenant lists several hundred: registered in Microsoft's
 * tenant, published by "Microsoft Services", with no credential the tenant manages. The first few carry
 * real first-party app ids; the rest are stand-ins with stable ids.
 */
export function addMicrosoftServicePrincipals(directory: Directory, tenant: TenantDirectory, count: number): void {
  const ids = countedGuids(stableGuid(`${tenant.id}/sp/microsoft`));
  for (let i = 0; i < count; i += 1) {
    const [appId, displayName] = wellKnownFirstParty[i] ?? [standInAppIds(i), `Microsoft first-party app ${i}`];
    directory.addServicePrincipal(
      tenant,
      newServicePrincipalRecord({
        id: ids(i),
        appId,
        displayName,
        appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT,
        publisherName: 'Microsoft Services',
      }),
    );
  }
}

/** Many applications of one shape, for scale tests and benchmarks (the scenario schema is for hand-written tenants). */
export interface GeneratedApplications {
  count: number;
  /** The i-th app's display name. */
  name: (i: number) => string;
  /** Days from now when the i-th app's one client secret ends. */
  secretEndsInDays: (i: number) => number;
  /** Each app's own service principal in its home tenant, as Entra creates it when the app is used there. */
  servicePrincipals: boolean;
  /** Days until the i-th app's SAML signing certificate ends, for the apps that sign users in by SAML. */
  samlCertificateEndsInDays?: (i: number) => number | undefined;
}

/** Adds applications straight through the directory's operations: linear in `count`, no schema parsing. */
export function addGeneratedApplications(directory: Directory, tenant: TenantDirectory, now: Date, shape: GeneratedApplications): void {
  const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
  // One secret text, and ids counted from a stable base: generated apps never sign in, and hashing
  // a random secret and four names per app was most of the time seeding 100,000 of them took.
  const secret = newPasswordCredential({
    start: at(-30),
    end: at(-30),
    displayName: 'prod',
    secretText: 'generated-app-secret-never-used',
  }).record;
  const ids = (kind: string) => countedGuids(stableGuid(`${tenant.id}/generated/${kind}`));
  const [appIds, clientIds, keyIds, spIds] = [ids('app'), ids('appId'), ids('key'), ids('sp')];
  for (let i = 0; i < shape.count; i += 1) {
    const name = shape.name(i);
    const app = newApplicationRecord({
      id: appIds(i),
      appId: clientIds(i),
      displayName: name,
      createdDateTime: at(-400).toISOString(),
      passwordCredentials: [{ ...secret, keyId: keyIds(i), endDateTime: at(shape.secretEndsInDays(i)).toISOString() }],
    });
    directory.addApplication(tenant, app);
    if (shape.servicePrincipals)
      directory.addServicePrincipal(
        tenant,
        generatedServicePrincipal(tenant, spIds(i), app.appId, name, shape.samlCertificateEndsInDays?.(i), at),
      );
  }
}

function generatedServicePrincipal(
  tenant: TenantDirectory,
  id: string,
  appId: string,
  name: string,
  samlEnd: number | undefined,
  at: (days: number) => Date,
) {
  const saml =
    samlEnd === undefined
      ? {}
      : {
          preferredSingleSignOnMode: 'saml',
          preferredTokenSigningKeyEndDateTime: at(samlEnd).toISOString(),
          keyCredentials: [newSamlSigningCertificate({ tenantId: tenant.id, appName: name, start: at(-300), end: at(samlEnd) })],
        };
  return newServicePrincipalRecord({
    id,
    appId,
    displayName: name,
    appOwnerOrganizationId: tenant.id,
    publisherName: tenant.record.displayName,
    ...saml,
  });
}

/**
 * GUIDs that share a stable base and end in the count `i` (unique for up to 2^32 objects), their first
 * eight characters the count scrambled: Entra's ids are random, and Vigil spreads rows over partitions by
 * an app id's first characters (the by-app findings table), which a shared prefix puts all in one.
 */
function countedGuids(base: string): (i: number) => string {
  const middle = base.slice(8, 24);
  // An odd multiplier is a bijection on 32 bits: the scrambled count is unique as the count is.
  return (i) => `${(Math.imul(i, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0')}${middle}${i.toString(16).padStart(12, '0')}`;
}
