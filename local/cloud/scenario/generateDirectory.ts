import { newPasswordCredential, newSamlSigningCertificate, stableGuid } from '../state/credentials.js';
import type { Directory } from '../state/Directory.js';
import { newApplicationRecord, newServicePrincipalRecord } from '../state/newDirectoryRecords.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';

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
