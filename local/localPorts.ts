/**
 * Fixed loopback ports for a person's run, matching `local.settings.sample.json`. Tests use free ports.
 */
export const localPorts = {
  admin: 47400,
  sinks: 47401,
  clouds: { global: { login: 47410, graph: 47411 }, usgov: { login: 47412, graph: 47413 } },
  firstVault: 47420,
  devHost: 7071,
  azurite: { blob: 10000, queue: 10001, table: 10002 },
} as const;
