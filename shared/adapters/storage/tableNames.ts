/** Every Storage table Vigil owns, named once: wiring, tests and the storage fault proxy read them from here. */
export const tableNames = {
  inventory: 'VigilInventory',
  events: 'VigilEvents',
  notifyState: 'VigilNotifyState',
  outbox: 'VigilOutbox',
  deliveries: 'VigilDeliveries',
  digests: 'VigilDigests',
  /** Each mail sender's sends of the last minute and the slots kept for mail that waits (sendBudgetTable.ts). */
  sendBudget: 'VigilSendBudget',
  connections: 'VigilConnections',
  audit: 'VigilAudit',
  rotations: 'VigilRotations',
  vaultHealth: 'VigilVaultHealth',
  runs: 'VigilRuns',
  signIns: 'VigilSignIns',
  /** The key that signs the status page's form tokens (formKeyTable.ts). */
  formKeys: 'VigilFormKeys',
  // The expiry scanner's.
  findings: 'VigilFindings',
  /** Every tenant's findings in one urgency order (findingKeys.ts), for the lists and the status page. */
  findingIndex: 'VigilFindingIndex',
  /** The findings on app registrations' client secrets, one partition per app id (findingKeys.ts). */
  findingsByApp: 'VigilFindingsByApp',
  scanState: 'VigilScanState',
  vaultIndex: 'VigilVaultIndex',
  upcoming: 'VigilUpcoming',
} as const;

/** A table by the key it has in `tableNames`. */
export type TableRole = keyof typeof tableNames;

/** The tables the expiry scanner reads and writes. */
export type ScanTable = Extract<TableRole, 'findings' | 'findingIndex' | 'findingsByApp' | 'scanState' | 'vaultIndex' | 'upcoming'>;
