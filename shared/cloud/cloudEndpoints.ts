/** The national clouds Vigil can watch. */
export const cloudNames = ['global', 'usgov', 'usgovdod', 'china'] as const;
export type CloudName = (typeof cloudNames)[number];

export interface CloudEndpoints {
  /** Microsoft identity platform authority host. */
  login: string;
  /** Graph base URL (requests go to `{graph}/v1.0/…`). */
  graph: string;
  /** Graph's resource id: the scope is `{graphResource}/.default`, whatever `graph` points at. */
  graphResource: string;
  /** Key Vault's resource id for tokens. */
  keyVaultResource: string;
  /** Host suffixes of this cloud's vaults, used to keep Key Vault's challenge check on for real vaults. */
  keyVaultDnsSuffix: string;
  storageSuffix: string;
  portal: string;
}

/** https://learn.microsoft.com/graph/deployments and the Azure SDK's AzureAuthorityHosts. */
export const cloudEndpoints: Record<CloudName, CloudEndpoints> = {
  global: {
    login: 'https://login.microsoftonline.com',
    graph: 'https://graph.microsoft.com',
    graphResource: 'https://graph.microsoft.com',
    keyVaultResource: 'https://vault.azure.net',
    keyVaultDnsSuffix: '.vault.azure.net',
    storageSuffix: 'core.windows.net',
    portal: 'https://portal.azure.com',
  },
  usgov: {
    login: 'https://login.microsoftonline.us',
    graph: 'https://graph.microsoft.us',
    graphResource: 'https://graph.microsoft.us',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
    keyVaultDnsSuffix: '.vault.usgovcloudapi.net',
    storageSuffix: 'core.usgovcloudapi.net',
    portal: 'https://portal.azure.us',
  },
  usgovdod: {
    login: 'https://login.microsoftonline.us',
    graph: 'https://dod-graph.microsoft.us',
    graphResource: 'https://dod-graph.microsoft.us',
    keyVaultResource: 'https://vault.usgovcloudapi.net',
    keyVaultDnsSuffix: '.vault.usgovcloudapi.net',
    storageSuffix: 'core.usgovcloudapi.net',
    portal: 'https://portal.azure.us',
  },
  china: {
    login: 'https://login.chinacloudapi.cn',
    graph: 'https://microsoftgraph.chinacloudapi.cn',
    graphResource: 'https://microsoftgraph.chinacloudapi.cn',
    keyVaultResource: 'https://vault.azure.cn',
    keyVaultDnsSuffix: '.vault.azure.cn',
    storageSuffix: 'core.chinacloudapi.cn',
    portal: 'https://portal.azure.cn',
  },
};
