import type { DeliveryLogEntry } from '../notifications/OutboxPorts.js';
import type { VaultHealth } from '../inventory/VaultHealth.js';
import type { FindingRecord } from '../notifications/NotificationState.js';
import type { Rotation } from '../rotation/Rotation.js';
import type { Finding } from '../scanner/Finding.js';
import type { ScanState } from '../scanner/ScanPorts.js';
import type { SignInOffer } from '../signIn/offerSignInLink.js';
import type { ConnectionState } from '../tokens/ConnectionState.js';

/** What the status page reads, each source on its own so one that fails does not blank the page. */
export interface DashboardSources {
  tenants: ReadonlyArray<{ id: string; name: string; owner?: string | undefined }>;
  vaultUrls: readonly string[];
  findings(): Promise<Finding[]>;
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
  /** A fresh reconnect link for a failing connection a new sign-in fixes; absent while sign-in links are off. */
  signInLink?(connection: ConnectionState): Promise<SignInOffer>;
}
