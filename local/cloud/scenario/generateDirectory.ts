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

/**
 * Microsoft's own service principals, as a real tenant lists several hundred: registered in Microsoft's
 * tenant, published by "Microsoft Services", with no credential the tenant manages. The first few carry
 * real first-party app ids; the rest are stand-ins with stable ids.
 */
export function addMicrosoftServicePrincipals(directory: Directory, tenant: TenantDirectory, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const [appId, displayName] = wellKnownFirstParty[i] ?? [stableGuid(`microsoft/appId/${i}`), `Microsoft first-party app ${i}`];
    directory.addServicePrincipal(
      tenant,
      newServicePrincipalRecord({
        id: stableGuid(`${tenant.id}/sp/microsoft/${appId}`),
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
  /** The i-th app's display name (ids derive from it as the scenario seeder derives them). */
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
  for (let i = 0; i < shape.count; i += 1) {
    const name = shape.name(i);
    const app = newApplicationRecord({
      id: stableGuid(`${tenant.id}/app/${name}`),
      appId: stableGuid(`${tenant.id}/appId/${name}`),
      displayName: name,
      createdDateTime: at(-400).toISOString(),
      passwordCredentials: [
        newPasswordCredential({
          start: at(-30),
          end: at(shape.secretEndsInDays(i)),
          displayName: 'prod',
          keyId: stableGuid(`${name}/password/prod`),
        }).record,
      ],
    });
    directory.addApplication(tenant, app);
    if (shape.servicePrincipals)
      directory.addServicePrincipal(tenant, generatedServicePrincipal(tenant, app.appId, name, shape.samlCertificateEndsInDays?.(i), at));
  }
}

function generatedServicePrincipal(
  tenant: TenantDirectory,
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
    id: stableGuid(`${tenant.id}/sp/${name}`),
    appId,
    displayName: name,
    appOwnerOrganizationId: tenant.id,
    publisherName: tenant.record.displayName,
    ...saml,
  });
}
