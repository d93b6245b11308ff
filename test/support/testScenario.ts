import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { stableGuid } from '../../local/cloud/state/credentials.js';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const OTHER_TENANT = '22222222-2222-4222-8222-222222222222';
export const VIGIL_SECRET = 'vigil-test-secret-value-0123456789';
export const GRAPH = 'https://graph.microsoft.com';
export const VAULT = 'vigil-test';
export const VIGIL_API = 'api://vigil';
/** The app id seeding gives Cerb Helpdesk (stable per tenant and name), so tags can name it. */
export const CERB_APP_ID = stableGuid(`${TENANT}/appId/Cerb Helpdesk`);

/** A small directory for integration tests: Vigil's own identity, a mailbox app with a delegated token, and an app with secrets. */
/** Vigil's registration in a scanner test's home tenant: the test secret, and the directory read a scan needs. */
export const vigilScannerApp = (appId?: string) => ({
  displayName: 'Vigil',
  ...(appId ? { appId } : {}),
  passwordCredentials: [{ displayName: 'vigil', secretText: VIGIL_SECRET, end: { inDays: 300 } }],
  roles: { [GRAPH]: ['Application.Read.All'] },
});

export function testScenario(): Scenario {
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        users: [
          { userPrincipalName: 'helpdesk@contoso.onmicrosoft.com', displayName: 'Helpdesk mailbox' },
          { userPrincipalName: 'ops@contoso.onmicrosoft.com' },
        ],
        applications: [
          {
            displayName: 'Vigil',
            identifierUris: [VIGIL_API],
            appRoles: ['Vigil.Read', 'Vigil.Rotate'],
            passwordCredentials: [{ displayName: 'vigil', secretText: VIGIL_SECRET, end: { inDays: 300 } }],
            roles: { [GRAPH]: ['Application.Read.All', 'Application.ReadWrite.OwnedBy', 'Mail.Send'] },
          },
          {
            displayName: 'Vigil reader',
            passwordCredentials: [{ displayName: 'reader', secretText: 'vigil-reader-secret-0123456789', end: { inDays: 300 } }],
            roles: { [GRAPH]: [] },
          },
          {
            displayName: 'Cerb Helpdesk',
            passwordCredentials: [{ displayName: 'cerb', secretText: 'cerb-client-secret-0123456789', end: { inDays: 200 } }],
            owners: ['Vigil'],
          },
          {
            displayName: 'Creatio CRM',
            passwordCredentials: [
              { displayName: 'current', secretText: 'creatio-current-secret-0123456789', end: { inDays: 10 } },
              { displayName: 'expired', secretText: 'creatio-expired-secret-0123456789', end: { inDays: -5 } },
            ],
            owners: ['Vigil'],
          },
          { displayName: 'UiPath Robot', keyCredentials: [{ displayName: 'CN=uipath', end: { inDays: 45 } }] },
        ],
        servicePrincipals: [{ application: 'Contoso SAML', preferredSingleSignOnMode: 'saml', samlSigningCertificateEnd: { inDays: 20 } }],
        grants: [
          {
            client: 'Cerb Helpdesk',
            user: 'helpdesk@contoso.onmicrosoft.com',
            scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
          },
        ],
        refreshTokens: [
          {
            name: 'cerb',
            client: 'Cerb Helpdesk',
            user: 'helpdesk@contoso.onmicrosoft.com',
            scopes: ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'],
          },
        ],
      },
      {
        id: OTHER_TENANT,
        displayName: 'Fabrikam',
        defaultDomain: 'fabrikam.onmicrosoft.com',
        applications: [{ displayName: 'Contoso SAML', servicePrincipal: false }],
      },
    ],
    vaults: [
      {
        name: VAULT,
        tenant: TENANT,
        allowedApps: ['Vigil'],
        secrets: [
          {
            name: 'cerb-mailbox',
            value: { refreshToken: 'cerb' },
            tags: {
              'vigil-kind': 'delegated-refresh-token',
              'vigil-tenant': TENANT,
              'vigil-client-id': CERB_APP_ID,
              'vigil-client-secret-name': 'cerb-client-secret',
              'vigil-scopes': 'offline_access https://outlook.office.com/IMAP.AccessAsUser.All',
              'vigil-cloud': 'global',
              'vigil-owner': 'helpdesk@contoso.onmicrosoft.com',
              'vigil-downstream': 'Cerb',
            },
          },
          { name: 'cerb-client-secret', value: { clientSecret: { application: 'Cerb Helpdesk', credential: 'cerb' } } },
        ],
      },
    ],
    webhookEndpoints: [{ name: 'cerb', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
  };
}
