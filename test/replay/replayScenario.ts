import type { DateTime } from 'luxon';
import type { Scenario } from '../../local/cloud/scenario/scenarioSchema.js';
import { GRAPH, OTHER_TENANT, TENANT, VIGIL_SECRET, testScenario } from '../support/testScenario.js';
import { IMAP } from '../shared/tokens/tokenScenario.js';

export const VIGIL_APP_ID = 'aaaaaaaa-0000-4000-8000-0000000000a1';
export const REPLAY_VAULT = 'vigil-replay';
export const OPS = 'ops@contoso.onmicrosoft.com';
export const HELPDESK = 'helpdesk@contoso.onmicrosoft.com';
export const TEAMS_SIG = 'teams-replay-sig-0123456789abcdef';
export const TICKETS_KEY = 'whsec_cmVwbGF5LXRpY2tldHMtc2lnbmluZy1rZXktMDE=';

/**
 * When each credential of the replay ends, in days from its start: what the ladder must announce ahead.
 * Creatio's first secret is replaced on day 25; the others are left to lapse.
 */
export const ENDS = { creatio: 35, payroll: 50, snoozed: 110, fabrikam: 140 } as const;

/**
 * Two small tenants. Contoso, Vigil's home: Vigil itself, a mailbox connection (Cerb) whose refresh
 * token Vigil keeps alive, and three apps whose secrets end during the replay. Fabrikam: Vigil's
 * multi-tenant app consented with Application.Read.All (read through a secret in the vault), and one app.
 */
export function replayScenario(start: DateTime): Scenario {
  const day = (n: number) => start.plus({ days: n }).toISO()!;
  const secret = (displayName: string, endDay: number) => ({ displayName, end: day(endDay) });
  return {
    tenants: [
      {
        id: TENANT,
        displayName: 'Contoso',
        defaultDomain: 'contoso.onmicrosoft.com',
        users: [{ userPrincipalName: HELPDESK, displayName: 'Helpdesk mailbox' }, { userPrincipalName: OPS }],
        applications: [
          {
            displayName: 'Vigil',
            appId: VIGIL_APP_ID,
            passwordCredentials: [{ displayName: 'vigil', secretText: VIGIL_SECRET, end: day(400) }],
            roles: { [GRAPH]: ['Application.Read.All', 'Mail.Send'] },
          },
          {
            displayName: 'Cerb Helpdesk',
            passwordCredentials: [{ displayName: 'cerb', secretText: 'cerb-client-secret-0123456789', end: day(400) }],
          },
          { displayName: 'Creatio CRM', passwordCredentials: [secret('2026', ENDS.creatio)] },
          { displayName: 'Payroll export', passwordCredentials: [secret('main', ENDS.payroll)] },
          { displayName: 'Snoozed portal', passwordCredentials: [secret('main', ENDS.snoozed)] },
        ],
        grants: [{ client: 'Cerb Helpdesk', user: HELPDESK, scopes: ['offline_access', IMAP] }],
        refreshTokens: [{ name: 'cerb', client: 'Cerb Helpdesk', user: HELPDESK, scopes: ['offline_access', IMAP] }],
      },
      {
        id: OTHER_TENANT,
        displayName: 'Fabrikam',
        defaultDomain: 'fabrikam.onmicrosoft.com',
        applications: [{ displayName: 'Fabrikam billing', passwordCredentials: [secret('main', ENDS.fabrikam)] }],
        servicePrincipals: [{ application: 'Vigil', roles: { [GRAPH]: ['Application.Read.All'] } }],
      },
    ],
    vaults: [
      {
        name: REPLAY_VAULT,
        tenant: TENANT,
        allowedApps: ['Vigil'],
        secrets: [
          // The Cerb mailbox connection and its client secret, as in every token test.
          ...testScenario().vaults![0]!.secrets!,
          { name: 'vigil-fabrikam', value: { clientSecret: { application: 'Vigil', credential: 'vigil' } } },
          { name: 'tickets-key', value: { literal: TICKETS_KEY }, tags: { 'vigil-kind': 'notification-secret' } },
        ],
      },
    ],
    webhookEndpoints: [{ name: 'tickets', secret: TICKETS_KEY }],
  };
}

/** Vigil's settings for the replay: both tenants, one route (mail, Teams, a ticketing webhook), daily-ish timers. */
export function replaySettings(sinks: string): Record<string, string> {
  return {
    VIGIL_CLIENT_ID: VIGIL_APP_ID,
    VIGIL_TENANTS: JSON.stringify([
      { tenantId: TENANT, displayName: 'Contoso', auth: { kind: 'managedIdentity' } },
      {
        tenantId: OTHER_TENANT,
        displayName: 'Fabrikam',
        auth: { kind: 'clientSecret', clientId: VIGIL_APP_ID, keyVaultSecretName: 'vigil-fabrikam' },
      },
    ]),
    VIGIL_ROUTES: JSON.stringify({
      defaultRoute: 'ops',
      routes: {
        ops: {
          mail: { to: [OPS] },
          teams: [{ name: 'ops', urlSecretName: 'teams-ops-url' }],
          webhooks: [{ name: 'tickets', url: `${sinks}/webhooks/tickets`, signingSecretName: 'tickets-key' }],
        },
      },
    }),
    VIGIL_MAIL_SENDER: OPS,
    // The default digest window (a few minutes), not the tests' 0 s: the replay is about real settings.
    VIGIL_DIGEST_WINDOW_SECONDS: '300',
    // Fewer runs than production (hourly scans and refreshes, a poison check every 15 minutes) keep 180
    // days fast; a scan or a refresh still falls inside every disruption of the script.
    VIGIL_SCAN_SCHEDULE: '0 0 0 * * *',
    VIGIL_FULL_SCAN_EVERY_HOURS: '24',
    VIGIL_REFRESH_SCHEDULE: '0 0 3 * * *',
    VIGIL_POISON_WATCH_SCHEDULE: '0 0 12 * * *',
    VIGIL_ROTATION_SCHEDULE: '0 15 6 * * 1',
    VIGIL_INVENTORY_SCHEDULE: '0 0 6 * * 1',
  };
}
