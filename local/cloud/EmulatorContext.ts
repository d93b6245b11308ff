import type { AccessTokens } from './entra/AccessTokens.js';
import type { FaultInjector } from './http/faults.js';
import type { ServiceLatency } from './http/latency.js';
import type { CloudStore } from './state/CloudStore.js';
import type { CloudName } from './state/model.js';

/** Published service limits the emulators enforce; defaults are Azure's, tests and benchmarks may lower them. */
export interface LocalCloudLimits {
  keyVault: {
    /** Secret creates (PUT) per vault per 10 s. */
    secretCreatesPer10s: number;
    /** All other transactions per vault per 10 s. */
    otherTransactionsPer10s: number;
  };
  graph: {
    /** Identity resource units per app and tenant per 10 s (S tenant: 3,500). */
    resourceUnitsPer10s: number;
    /** Requests per tenant per minute whose `$select` includes `keyCredentials`. */
    keyCredentialsSelectsPerMinute: number;
    /** Writes per app and tenant per 150 s. */
    writesPer150s: number;
  };
}

export const azureLimits: LocalCloudLimits = {
  keyVault: { secretCreatesPer10s: 300, otherTransactionsPer10s: 4000 },
  graph: { resourceUnitsPer10s: 3500, keyCredentialsSelectsPerMinute: 150, writesPer150s: 3000 },
};

export interface CloudEndpoints {
  /** Authority host (what `authorityHost` is set to) for this cloud. */
  login: string;
  /** Graph base URL without version, e.g. `https://localhost:4443`. */
  graph: string;
}

export interface LocalCloudEndpoints {
  clouds: Partial<Record<CloudName, CloudEndpoints>>;
  vaults: Record<string, string>;
  sinks: string;
  admin: string;
  caFile: string;
}

/** How the emulators answer where Azure varies; tests and benchmarks may change it while the cloud runs. */
export interface LocalCloudBehaviour {
  /** Fixed time every request to a service takes (none by default): the network a benchmark's floors assume. */
  latencyMs: ServiceLatency;
  /** Graph's 429s say `Retry-After` to the millisecond (`2.128`), as Graph sometimes does, instead of in whole seconds. */
  fractionalRetryAfter: boolean;
}

/** What every emulator receives: shared state, token signing, faults, limits, behaviour and where things listen. */
export interface EmulatorContext {
  readonly store: CloudStore;
  readonly tokens: AccessTokens;
  readonly faults: FaultInjector;
  readonly limits: LocalCloudLimits;
  readonly behaviour: LocalCloudBehaviour;
  readonly endpoints: LocalCloudEndpoints;
}

/** The audience (resource) each cloud's services expect in tokens, as in Azure. */
export const resourceAudiences: Record<CloudName, { graph: string; keyVault: string }> = {
  global: { graph: 'https://graph.microsoft.com', keyVault: 'https://vault.azure.net' },
  usgov: { graph: 'https://graph.microsoft.us', keyVault: 'https://vault.usgovcloudapi.net' },
  usgovdod: { graph: 'https://dod-graph.microsoft.us', keyVault: 'https://vault.usgovcloudapi.net' },
  china: { graph: 'https://microsoftgraph.chinacloudapi.cn', keyVault: 'https://vault.azure.cn' },
};
