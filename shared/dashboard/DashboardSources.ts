import type { DeliveryLogEntry } from '../notifications/OutboxPorts.js';
import type { VaultHealth } from '../inventory/VaultHealth.js';
import type { FindingQuery, ScanState } from '../scanner/ScanPorts.js';
import type { FindingRecord } from '../notifications/NotificationState.js';
import type { Rotation } from '../rotation/Rotation.js';
import type { Finding } from '../scanner/Finding.js';
import type { ConnectionState } from '../tokens/ConnectionState.js';

/** What the status page reads, each source on its own so one that fails does not blank the page. */
export interface DashboardSources {
  tenants: ReadonlyArray<{ id: string; name: string; owner?: string | undefined }>;
  vaultUrls: readonly string[];
  /** The most urgent findings for the query, at most `limit`, and whether more follow. */
  findings(query: FindingQuery, limit: number): Promise<{ findings: Finding[]; more: boolean }>;
  /** Each tenant's last scan, with its findings counted by severity and end day: the page's counts and timeline. */
  scanStates(): Promise<ScanState[]>;
  connections(): Promise<ConnectionState[]>;
  /** Each watched vault's last listing, by whichever planner listed it. */
  vaultHealth(): Promise<VaultHealth[]>;
  openRotations(): Promise<Rotation[]>;
  /** Rotations that failed within the last days, so a person sees them until someone acts. */
  failedRotations(): Promise<Rotation[]>;
  snoozed(): Promise<FindingRecord[]>;
  deliveries(limit: number): Promise<DeliveryLogEntry[]>;
  poisonDepth(): Promise<number>;
  /** Whether Vigil makes sign-in links (VIGIL_PUBLIC_BASE_URL is set): a failing connection a sign-in fixes then offers one. */
  signInLinks: boolean;
}
