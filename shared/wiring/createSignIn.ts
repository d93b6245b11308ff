import type { TableClient } from '@azure/data-tables';
import type { Client } from '@microsoft/microsoft-graph-client';
import { Duration, type DateTime } from 'luxon';
import { createAuthorizationServer } from '../adapters/entra/createAuthorizationServer.js';
import type { Clock } from '../adapters/entra/Clock.js';
import type { VigilFaultLog } from '../adapters/http/createVigilFaultLog.js';
import { createAppRegistrations } from '../adapters/graph/createAppRegistrations.js';
import { createSignInTable } from '../adapters/storage/signInTable.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { Settings } from '../settings/settingsSchema.js';
import type { AppRegistrations } from '../signIn/checkRedirectUri.js';
import type { LinkRequestDeps } from '../signIn/requestConnection.js';
import type { LinkSettings } from '../signIn/mintSignInLink.js';
import type { StoredTokenCheck, SignInDeps, SignInStore } from '../signIn/SignInPorts.js';
import { refreshConnection } from '../tokens/refreshConnection.js';
import type { ExpiryScanner } from './createExpiryScanner.js';
import { findStore, toRefreshDeps, type TokenKeeper } from './createTokenKeeper.js';
import { resolveCloud } from './resolveCloud.js';

/** How long a started sign-in waits for Entra's answer (the authorization code itself lives about 10 minutes). */
const FLOW_LIFETIME = Duration.fromObject({ minutes: 15 });

/** The links side, built before the token keeper so its alerts can say how to reconnect. */
export interface SignInLinks {
  readonly store: SignInStore;
  readonly apps: AppRegistrations;
  readonly settings: LinkSettings;
}

/** Connect and reconnect by sign-in: links, the flow and its pages. Undefined while VIGIL_PUBLIC_BASE_URL is unset. */
export interface SignIn {
  readonly flow: SignInDeps;
  readonly requests: LinkRequestDeps;
}

export function createSignInLinks(settings: Settings, table: TableClient, scanner: ExpiryScanner): SignInLinks | undefined {
  const baseUrl = settings.VIGIL_PUBLIC_BASE_URL;
  if (!baseUrl) return undefined;
  const store = createSignInTable(table);
  // Vigil reads an app registration with the Graph client it has for the tenant: the home tenant's, or a scanned tenant's.
  const graphFor = async (tenant: string): Promise<Client | string> => {
    const config = scanner.tenantOf(tenant);
    if (!config) return `Vigil has no Graph access to tenant ${tenant} (add it to VIGIL_TENANTS)`;
    const connection = await scanner.clients.connect(config);
    return connection.ok ? connection.graph : `Vigil could not sign in to tenant ${tenant}`;
  };
  const apps = createAppRegistrations(graphFor);
  return {
    store,
    apps,
    settings: { baseUrl, lifetime: Duration.fromObject({ days: settings.VIGIL_SIGN_IN_LINK_DAYS }) },
  };
}

export function createSignIn(
  settings: Settings,
  links: SignInLinks,
  keeper: TokenKeeper,
  io: { events: EventPublisher; vigilFaultLog: VigilFaultLog },
  clock?: Clock,
): SignIn {
  const { events, vigilFaultLog } = io;
  const loginHost = (cloud: Parameters<typeof resolveCloud>[1]) => resolveCloud(settings, cloud).login;
  const vault = (url: string) => findStore(keeper, url);
  const probe = async (ref: { vaultUrl: string; name: string }, now: DateTime): Promise<StoredTokenCheck> => {
    const store = vault(ref.vaultUrl);
    if (!store) return { kind: 'notChecked', reason: 'the vault is not watched' };
    const run = await refreshConnection(toRefreshDeps(keeper, store), ref, now);
    if (run.kind === 'busy') return { kind: 'notChecked', reason: 'another refresh holds the connection right now' };
    if (run.kind !== 'attempted') return { kind: 'notChecked', reason: 'the secret is not a connection' };
    const { state } = run;
    switch (state.status) {
      case 'healthy':
        return { kind: 'healthy' };
      case 'failing':
        return { kind: 'failing', failureClass: state.failureClass, code: state.lastErrorCode, whoMustAct: state.whoMustAct };
      case 'misconfigured':
        return { kind: 'failing', failureClass: state.status, code: 'none', whoMustAct: state.problems.join('; ') };
    }
  };
  const common = { store: links.store, vault, sleep: keeper.sleep };
  return {
    flow: {
      ...common,
      settings: { ...links.settings, flowLifetime: FLOW_LIFETIME },
      loginHost,
      server: createAuthorizationServer({ loginHost, vigilFaultLog, ...(clock ? { clock } : {}) }),
      probe,
      events,
      homeTenantId: settings.VIGIL_TENANT_ID,
      readCertificate: keeper.readCertificate,
    },
    requests: { ...common, settings: links.settings, apps: links.apps },
  };
}
