import type { Scenario } from '../../../local/cloud/scenario/scenarioSchema.js';
import { stableGuid } from '../../../local/cloud/state/credentials.js';
import type { TestStack } from '../../support/startTestStack.js';
import { CERB_APP_ID, TENANT, VAULT, testScenario } from '../../support/testScenario.js';

export const IMAP = 'https://outlook.office.com/IMAP.AccessAsUser.All';
export const HELPDESK = { username: 'helpdesk@contoso.onmicrosoft.com', password: 'helpdesk-password-local' };
export const OPS = { username: 'ops@contoso.onmicrosoft.com', password: 'ops-password-local' };
export const LEGACY_APP_ID = stableGuid(`${TENANT}/appId/Legacy Mail`);
export const CERB_SECRET = 'cerb-client-secret-0123456789';
export const LEGACY_SECRET = 'legacy-client-secret-0123456789';
export const WEBHOOK_KEY = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const connectionTags = (clientId: string, secretName: string, owner: string, downstream: string) => ({
  'vigil-kind': 'delegated-refresh-token',
  'vigil-tenant': TENANT,
  'vigil-client-id': clientId,
  'vigil-client-secret-name': secretName,
  'vigil-scopes': `offline_access ${IMAP}`,
  'vigil-owner': owner,
  'vigil-downstream': downstream,
});

/**
 * The test directory for sign-in: people with passwords, Vigil's callback registered on Cerb's app (for
 * any localhost port, as Entra matches it), and a "Legacy Mail" app whose registration lacks it.
 */
export function signInScenario(options: { cerbRedirectUris?: string[] } = {}): Scenario {
  const base = testScenario();
  const [home, ...rest] = base.tenants;
  const vault = base.vaults!.find((v) => v.name === VAULT)!;
  return {
    ...base,
    tenants: [
      {
        ...home!,
        users: [
          { userPrincipalName: HELPDESK.username, displayName: 'Helpdesk mailbox', password: HELPDESK.password },
          { userPrincipalName: OPS.username, displayName: 'Ops team', password: OPS.password },
          { userPrincipalName: 'nopassword@contoso.onmicrosoft.com' },
        ],
        applications: [
          ...home!.applications!.map((a) =>
            a.displayName === 'Cerb Helpdesk' ? { ...a, redirectUris: options.cerbRedirectUris ?? ['http://localhost/api/signed-in'] } : a,
          ),
          {
            displayName: 'Legacy Mail',
            passwordCredentials: [{ displayName: 'legacy', secretText: LEGACY_SECRET, end: { inDays: 200 } }],
            redirectUris: ['https://legacy.example/oauth'],
          },
        ],
        grants: [...(home!.grants ?? []), { client: 'Legacy Mail', user: HELPDESK.username, scopes: ['offline_access', IMAP] }],
        refreshTokens: [
          ...(home!.refreshTokens ?? []),
          { name: 'legacy', client: 'Legacy Mail', user: HELPDESK.username, scopes: ['offline_access', IMAP] },
        ],
      },
      ...rest,
    ],
    vaults: [
      {
        ...vault,
        secrets: [
          ...vault.secrets!.map((s) =>
            s.name === 'cerb-mailbox' ? { ...s, tags: connectionTags(CERB_APP_ID, 'cerb-client-secret', HELPDESK.username, 'Cerb') } : s,
          ),
          {
            name: 'legacy-mailbox',
            value: { refreshToken: 'legacy' },
            tags: connectionTags(LEGACY_APP_ID, 'legacy-client-secret', HELPDESK.username, 'Legacy'),
          },
          { name: 'legacy-client-secret', value: { clientSecret: { application: 'Legacy Mail', credential: 'legacy' } } },
          { name: 'webhook-cerb-key', value: { literal: WEBHOOK_KEY }, tags: { 'vigil-kind': 'notification-secret' } },
        ],
      },
    ],
  };
}

/**
 * The sign-in tests' routes: Cerb's webhook and the ops Teams channel. A card carries a reconnect link
 * minted as it is sent; the webhook never carries one.
 */
export async function signInRoutes(stack: TestStack): Promise<string> {
  const sinks = stack.cloud.endpoints.sinks;
  await stack.secretClient(VAULT).setSecret('teams-ops-url', `${sinks}/teams/ops?sig=local`);
  return JSON.stringify({
    defaultRoute: 'cerb',
    routes: {
      cerb: {
        webhooks: [{ name: 'cerb', url: `${sinks}/webhooks/cerb`, signingSecretName: 'webhook-cerb-key' }],
        teams: [{ name: 'ops', urlSecretName: 'teams-ops-url' }],
      },
    },
    rules: [],
  });
}

/** The reconnect links of the Teams cards posted so far, oldest first, with the connection each is for. */
export async function reconnectLinksInTeams(stack: TestStack): Promise<Array<{ connection: string; url: string }>> {
  const posted = (await stack.admin('/admin/teams')) as Array<{ body: string }>;
  return posted.flatMap(({ body }) =>
    [...body.matchAll(/"title":"Sign in again to reconnect ([^"]+)","url":"([^"]+\/sign-in\/[A-Za-z0-9_-]{43})"/g)].map((m) => ({
      connection: m[1]!,
      url: m[2]!,
    })),
  );
}
