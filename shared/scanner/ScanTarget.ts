/** One tenant to scan, with what its findings need: its portal, Vigil's vault home, and routing defaults. */
export interface ScanTarget {
  tenantId: string;
  displayName: string;
  /** The portal of the tenant's cloud, e.g. `https://portal.azure.us`. */
  portal: string;
  /** Vigil's own tenant and portal, where its vaults live. */
  vaultHome: { tenantId: string; portal: string };
  routing: { owner?: string | undefined; team?: string | undefined };
}
