import type { Scenario } from '../local/cloud/scenario/scenarioSchema.js';
import { stableGuid } from '../local/cloud/state/credentials.js';

export const BENCH_TENANT = '0b0b0b0b-1111-4222-8333-444455556666';
export const BENCH_VAULT = 'bench-vigil';
export const BENCH_VIGIL_SECRET = 'bench-vigil-secret-not-for-production';
export const BENCH_APPS = 10;
const USERS = 20;
/**
 * Connections share this many refresh tokens: the local Entra finds a token by hashing every stored one
 * in turn, which is fine for tests and quadratic for 10,000. Vigil's work per connection is the same.
 */
export const SHARED_TOKENS = 100;
const SCOPES = ['offline_access', 'https://outlook.office.com/IMAP.AccessAsUser.All'];

export const connectionName = (i: number) => `mailbox-${String(i).padStart(5, '0')}`;
/** The app whose client secret connection `i` of `connections` signs in with. */
export const appOfConnection = (i: number, connections: number): number => (i % Math.min(SHARED_TOKENS, connections)) % BENCH_APPS;
/** The bench's vaults: one (`bench-vigil`), or `bench-vigil-0` … for a run over several. */
export const benchVaultNames = (vaults: number): string[] =>
  vaults === 1 ? [BENCH_VAULT] : Array.from({ length: vaults }, (_, v) => `${BENCH_VAULT}-${v}`);
/** The vault connection `i` lives in: connections are dealt round the vaults. */
export const vaultOfConnection = (i: number, vaults: number): string => benchVaultNames(vaults)[i % vaults]!;
const appName = (k: number) => `Mailbox app ${k}`;
const userName = (u: number) => `mailbox${u}@bench.onmicrosoft.com`;

/** N connections over 10 apps and 20 users, dealt round `vaults` vaults, each with complete tags; every app's client secret in each vault. */
export function benchScenario(connections: number, vaults = 1): Scenario {
  const tokens = Math.min(SHARED_TOKENS, connections);
  const apps = Array.from({ length: BENCH_APPS }, (_, k) => k);
  const users = Array.from({ length: USERS }, (_, u) => u);
  const tokenOf = (i: number) => ({ app: i % BENCH_APPS, user: i % USERS });
  return {
    tenants: [
      {
        id: BENCH_TENANT,
        displayName: 'Bench',
        defaultDomain: 'bench.onmicrosoft.com',
        users: users.map((u) => ({ userPrincipalName: userName(u) })),
        applications: [
          { displayName: 'Vigil', passwordCredentials: [{ displayName: 'vigil', secretText: BENCH_VIGIL_SECRET, end: { inDays: 300 } }] },
          ...apps.map((k) => ({ displayName: appName(k), passwordCredentials: [{ displayName: 'prod', end: { inDays: 300 } }] })),
        ],
        grants: apps.flatMap((k) => users.map((u) => ({ client: appName(k), user: userName(u), scopes: SCOPES }))),
        refreshTokens: Array.from({ length: tokens }, (_, t) => ({
          name: `t${t}`,
          client: appName(tokenOf(t).app),
          user: userName(tokenOf(t).user),
          scopes: SCOPES,
        })),
      },
    ],
    vaults: benchVaultNames(vaults).map((name, v) => ({
      name,
      tenant: BENCH_TENANT,
      allowedApps: ['Vigil'],
      secrets: [
        ...apps.map((k) => ({ name: `app-${k}-secret`, value: { clientSecret: { application: appName(k), credential: 'prod' } } })),
        ...Array.from({ length: Math.ceil((connections - v) / vaults) }, (_, n) => {
          const i = v + n * vaults;
          const t = i % tokens;
          return {
            name: connectionName(i),
            value: { refreshToken: `t${t}` },
            tags: {
              'vigil-kind': 'delegated-refresh-token',
              'vigil-tenant': BENCH_TENANT,
              'vigil-client-id': stableGuid(`${BENCH_TENANT}/appId/${appName(tokenOf(t).app)}`),
              'vigil-client-secret-name': `app-${tokenOf(t).app}-secret`,
              'vigil-scopes': SCOPES.join(' '),
              'vigil-cloud': 'global',
              'vigil-owner': userName(tokenOf(t).user),
              'vigil-downstream': 'Bench',
            },
          };
        }),
      ],
    })),
  };
}
