/** Every Storage table Vigil owns, named once: wiring, tests and the storage fault proxy read them from here. */
export const tableNames = {
  inventory: 'VigilInventory',
  events: 'VigilEvents',
  notifyState: 'VigilNotifyState',
  outbox: 'VigilOutbox',
  deliveries: 'VigilDeliveries',
  digests: 'VigilDigests',
  connections: 'VigilConnections',
  audit: 'VigilAudit',
  rotations: 'VigilRotations',
  vaultHealth: 'VigilVaultHealth',
  runs: 'VigilRuns',
  signIns: 'VigilSignIns',
  // The expiry scanner's.
  findings: 'VigilFindings',
  scanState: 'VigilScanState',
  vaultIndex: 'VigilVaultIndex',
  upcoming: 'VigilUpcoming',
} as const;

/** A table by the key it has in `tableNames`. */
export type TableRole = keyof typeof tableNames;

/** The tables the expiry scanner reads and writes. */
export type ScanTable = Extract<TableRole, 'findings' | 'scanState' | 'vaultIndex' | 'upcoming'>;
