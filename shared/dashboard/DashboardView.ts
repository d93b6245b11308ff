import type { FormNotice } from './FormNotice.js';
import type { SnoozeLimits } from '../notifications/planSnooze.js';
import type { LapseCause } from '../events/vigilEvent.js';
import type { Severity } from '../events/vigilEvent.js';

/** Everything the status page shows, gathered from Vigil's tables; rendering never reads storage. */
export interface DashboardView {
  generatedAt: string;
  filters: { tenant?: string | undefined; severity?: Severity | undefined };
  tenants: Array<{ id: string; name: string }>;
  health: HealthRow[];
  /** The most urgent credentials (at most MOST_URGENT): the page's cost does not grow with the findings. */
  credentials: CredentialRow[];
  /** More credentials match than are shown: the full list is the findings API's. */
  moreCredentials: boolean;
  /** Findings counted by each tenant's last good scan, by severity, for the tenants shown. */
  counts: FindingCountsView;
  /** Credentials still valid ending in each of the next 13 weeks (from the same counts). */
  endingByWeek: number[];
  /** What an auditor would raise, one row per item: listed to tidy up, never counted as needing action. */
  hygiene: HygieneRow[];
  connections: ConnectionRow[];
  rotations: RotationRow[];
  snoozed: SnoozeRow[];
  deliveries: DeliveryRow[];
  poisonDepth: number | undefined;
  /** The snooze, unsnooze and reconnect forms' tokens, for a caller with Vigil.Rotate; absent: no forms. */
  forms?: DashboardForms | undefined;
  /** What the form the caller just posted did (from the redirect's query string), with the snooze limits a refusal names. */
  notice?: { said: FormNotice; snoozeLimits: SnoozeLimits } | undefined;
}

/** Anti-forgery tokens for the page's forms, made for the caller (formToken.ts). */
export interface DashboardForms {
  snooze: string;
  reconnect: string;
}

/** One source Vigil checks (a tenant scan, a vault's token refresh run) and how its last run went. */
export interface HealthRow {
  kind: 'tenant' | 'vault';
  name: string;
  lastRun: string | undefined;
  status: 'ok' | 'failed' | 'never';
  /** Why it failed and what permission is missing, in the operator's words. */
  detail: string | undefined;
  failingSince: string | undefined;
}

export interface CredentialRow {
  /** The finding id (`f-…`): what notifications link to (`#<id>`) and the snooze API takes. */
  findingId: string;
  tenantId: string;
  tenantName: string;
  app: string;
  objectKind: 'application' | 'servicePrincipal' | 'vaultSecret';
  credentialType: string;
  displayName: string | null;
  endDateTime: string;
  daysLeft: number;
  severity: Severity;
  overlap: boolean;
  owner: string | undefined;
  portalUrl: string | undefined;
  /** "last used to sign in 2 days ago", "unused for 45 days", "usage unknown: …". */
  usage: string | undefined;
  advice: { text: string; reason: string } | undefined;
  /** What breaks with it: connections, Key Vault copies, owners. */
  impact: string | undefined;
}

export interface HygieneRow {
  tenantName: string;
  app: string;
  credentialType: string;
  displayName: string | null;
  check: string;
  reason: string;
  portalUrl: string | undefined;
}

export interface ConnectionRow {
  name: string;
  vault: string;
  status: string;
  failureClass: string | undefined;
  code: string | undefined;
  remediation: string | undefined;
  lastSuccess: string | undefined;
  /** When it stops if nobody acts, and why: its refresh token's lapse or its client secret's end. */
  expectedLapse: string | undefined;
  lapseCause: LapseCause | undefined;
  /** A new sign-in fixes it and Vigil makes sign-in links: the page offers a Reconnect button (made on demand, not per view). */
  reconnectable: boolean;
}

export interface RotationRow {
  id: string;
  app: string;
  status: string;
  step: string;
  updatedAt: string;
}

export interface SnoozeRow {
  findingId: string;
  finding: string;
  reason: string;
  by: string;
  until: string;
}

export interface DeliveryRow {
  at: string;
  channel: string;
  route: string;
  status: string;
  detail: string | undefined;
}

export interface FindingCountsView {
  bySeverity: Record<Severity, number>;
  byTenant: Array<{ id: string; name: string; bySeverity: Record<Severity, number> }>;
  /** Tenants whose last scan was recorded without counts (an earlier version) or never ran: not in the counts. */
  uncounted: string[];
}
