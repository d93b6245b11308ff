import { DateTime } from 'luxon';
import { newEvent } from '../../../shared/events/newEvent.js';
import type { Severity, VigilEvent } from '../../../shared/events/vigilEvent.js';
import { routesConfigSchema, type RoutesConfig } from '../../../shared/notifications/routesConfig.js';
import { findingOf } from '../../../shared/notifications/findingOf.js';
import type { NotificationItem } from '../../../shared/notifications/NotificationItem.js';

export const TENANT = '11111111-1111-4111-8111-111111111111';
export const NOW = DateTime.fromISO('2026-11-23T06:00:00Z', { zone: 'utc' });

/** A `credential.expiring` (or expired, when daysLeft < 0) event for an app's client secret, as the expiry scanner publishes it. */
export function expiring(
  options: {
    app?: string;
    appObjectId?: string;
    keyId?: string;
    daysLeft?: number;
    threshold?: number;
    severity?: Severity;
    now?: DateTime<boolean>;
    downstream?: string;
    /** A newer credential outlives this one: once expired, it is hygiene (remove it). */
    overlap?: boolean;
  } = {},
): VigilEvent {
  const now = options.now ?? NOW;
  const daysLeft = options.daysLeft ?? 10;
  const threshold = options.threshold ?? (daysLeft < 0 ? 0 : 14);
  const app = options.app ?? 'Creatio CRM';
  const objectId = options.appObjectId ?? 'a0000000-0000-4000-8000-000000000001';
  const keyId = options.keyId ?? 'k0000000-0000-4000-8000-000000000001';
  const type = daysLeft < 0 ? 'credential.expired' : 'credential.expiring';
  return newEvent(
    {
      type,
      tenantId: TENANT,
      subject: { kind: 'application', id: objectId, displayName: app, appId: 'b0000000-0000-4000-8000-000000000001' },
      severity: options.severity ?? (daysLeft < 0 ? 'critical' : 'high'),
      summary: `The client secret of ${app} ${daysLeft < 0 ? 'expired' : `expires in ${daysLeft} days`}.`,
      impact: `${app} can no longer sign in to Microsoft 365 once it expires.`,
      fix: 'Add a new client secret, store it in Key Vault, update the app, then remove the old one.',
      dedupeKey: `${type}|${TENANT}|${objectId}|${keyId}|${threshold}`,
      routing: { tags: {}, ...(options.downstream ? { downstream: options.downstream } : {}) },
      links: {
        portal: `https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Credentials/appId/b0000000-0000-4000-8000-000000000001`,
      },
      data: {
        keyId,
        credentialType: 'password',
        displayName: 'prod',
        endDateTime: now.plus({ days: daysLeft }).toISO()!,
        daysLeft,
        threshold,
        overlap: options.overlap ?? false,
      },
    },
    now,
  );
}

export function rotated(options: { app?: string; appObjectId?: string; keyId?: string; now?: DateTime<boolean> } = {}): VigilEvent {
  const now = options.now ?? NOW;
  const objectId = options.appObjectId ?? 'a0000000-0000-4000-8000-000000000001';
  const keyId = options.keyId ?? 'k0000000-0000-4000-8000-000000000001';
  return newEvent(
    {
      type: 'credential.rotated',
      tenantId: TENANT,
      subject: { kind: 'application', id: objectId, displayName: options.app ?? 'Creatio CRM' },
      severity: 'info',
      summary: `The client secret of ${options.app ?? 'Creatio CRM'} was replaced.`,
      dedupeKey: `credential.rotated|${TENANT}|${objectId}|${keyId}`,
      data: {
        keyId,
        credentialType: 'password',
        displayName: 'prod',
        endDateTime: now.toISO()!,
        daysLeft: 0,
        threshold: 0,
        overlap: true,
        replacedBy: 'k-new',
      },
    },
    now,
  );
}

export function tokenFailed(connection = 'cerb-helpdesk-mailbox', now: DateTime<boolean> = NOW): VigilEvent {
  return newEvent(
    {
      type: 'token.refresh_failed',
      tenantId: TENANT,
      subject: { kind: 'connection', id: connection, displayName: connection },
      severity: 'critical',
      summary: `The refresh token of ${connection} was revoked.`,
      impact: 'Mail sync for the helpdesk stops.',
      fix: 'The mailbox owner signs in again through the app.',
      dedupeKey: `token.refresh_failed|${TENANT}|${connection}|revoked`,
      routing: { tags: {}, downstream: 'Cerb' },
      data: {
        connection,
        vaultUrl: 'https://kv.vault.azure.net',
        failureClass: 'revoked',
        code: 'AADSTS50173',
        whoMustAct: 'the mailbox owner',
        consecutiveFailures: 1,
      },
    },
    now,
  );
}

/** A refused sign-in for the connection: someone else signed in through its link. */
export function signInRefused(connection = 'cerb-helpdesk-mailbox', signedInAs = 'ops@contoso.com', now = NOW): VigilEvent {
  return newEvent(
    {
      type: 'token.sign_in_refused',
      tenantId: TENANT,
      subject: { kind: 'connection', id: connection, displayName: connection },
      severity: 'high',
      summary: `A sign-in for token connection ${connection} was refused: ${signedInAs} signed in, not the owner.`,
      impact: 'Cerb keeps its current token, and stays disconnected if that one no longer works.',
      fix: 'Open the link again and sign in as the owner.',
      dedupeKey: `token.sign_in_refused|${connection}|wrongUser||${signedInAs}`,
      routing: { tags: {}, downstream: 'Cerb' },
      data: { connection, vaultUrl: 'https://kv.vault.azure.net', reason: 'wrongUser', signedInAs },
    },
    now,
  );
}

export function tokenRefreshed(connection = 'cerb-helpdesk-mailbox', now = NOW): VigilEvent {
  return newEvent(
    {
      type: 'token.refreshed',
      tenantId: TENANT,
      subject: { kind: 'connection', id: connection, displayName: connection },
      severity: 'info',
      summary: `${connection} was refreshed.`,
      dedupeKey: `token.refreshed|${TENANT}|${connection}|${now.toISODate()}`,
      data: {
        connection,
        vaultUrl: 'https://kv.vault.azure.net',
        wroteBack: false,
        expectedLapse: now.plus({ days: 90 }).toISO()!,
        scopes: ['offline_access'],
      },
    },
    now,
  );
}

export function routes(overrides: Partial<Record<string, unknown>> = {}): RoutesConfig {
  return routesConfigSchema.parse({
    defaultRoute: 'ops',
    routes: {
      ops: { mail: { to: ['ops@contoso.com'] }, teams: [{ name: 'ops', urlSecretName: 'teams-ops' }] },
      cerb: { webhooks: [{ name: 'cerb', url: 'https://cerb.example/webhooks', signingSecretName: 'cerb-key' }] },
      creatio: { webhooks: [{ name: 'creatio', url: 'https://creatio.example/webhooks', signingSecretName: 'creatio-key' }] },
      audit: { webhooks: [{ name: 'audit', url: 'https://audit.example/in', signingSecretName: 'audit-key' }] },
    },
    rules: [
      { name: 'cerb', match: { downstream: 'Cerb' }, routes: ['cerb', 'ops'] },
      { name: 'creatio', match: { name: 'creatio*' }, routes: ['creatio', 'ops'] },
      { name: 'refresh log', match: { types: ['token.refreshed'] }, routes: ['audit'] },
    ],
    ...overrides,
  });
}

/** One event as a notification item of its finding, sent for `reason`. */
export function itemOf(event: VigilEvent, reason: NotificationItem['reason'] = 'new'): NotificationItem {
  return { findingId: findingOf(event).id, reason, event };
}
