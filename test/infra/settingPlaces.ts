/**
 * The places a setting is listed besides shared/settings/settingsSchema.ts (the one list of settings
 * Vigil reads), and every deliberate exception to "each setting the code reads is listed everywhere, and
 * nothing else is", each with its reason. test/infra/settingsCrossCheck.test.ts enforces both.
 */
export type Place = 'local.settings.sample.json' | 'infra/app/appSettings.bicep' | 'README.md';
export const places: Place[] = ['local.settings.sample.json', 'infra/app/appSettings.bicep', 'README.md'];

interface Exception {
  places: Place[];
  reason: string;
}

const azureOnlyStorage = 'Azure only: identity-based host storage. Locally the Azurite connection string in AzureWebJobsStorage is used.';

/** Settings Vigil's code reads that a place leaves out on purpose. */
export const leftOut: Record<string, Exception> = {
  FUNCTIONS_WORKER_RUNTIME: {
    places: ['infra/app/appSettings.bicep'],
    reason:
      'Read by the Functions Core Tools locally. On Flex Consumption it is a deprecated app setting: functionAppConfig.runtime says node.',
  },
  AzureWebJobsStorage: {
    places: ['infra/app/appSettings.bicep'],
    reason: 'A storage connection string, for Azurite. Azure uses identity-based storage, and the account there allows no shared keys.',
  },
  AzureWebJobsStorage__accountName: { places: ['local.settings.sample.json'], reason: azureOnlyStorage },
  AzureWebJobsStorage__clientId: { places: ['local.settings.sample.json'], reason: azureOnlyStorage },
  APPLICATIONINSIGHTS_CONNECTION_STRING: {
    places: ['local.settings.sample.json'],
    reason: 'Azure only: names the Application Insights component. Locally the dev host collects telemetry in memory instead.',
  },
  VIGIL_CLIENT_SECRET: {
    places: ['infra/app/appSettings.bicep'],
    reason:
      'Local cloud only, where no managed identity exists. In Azure Vigil signs in as its managed identity; a secret there would be one more credential to leak and rotate.',
  },
  VIGIL_CLOUD_ENDPOINTS: {
    places: ['infra/app/appSettings.bicep'],
    reason: "Local cloud only: points login and Graph at the emulators. In Azure the real endpoints of VIGIL_CLOUD's cloud are used.",
  },
};

/** Settings a place may list though Vigil's code does not read them: the Functions host does. */
export const hostOnly: Record<string, Exception> = {
  AzureWebJobsStorage__credential: {
    places: ['infra/app/appSettings.bicep'],
    reason: 'Makes the host use a managed identity for its storage.',
  },
  AzureWebJobsStorage__blobServiceUri: {
    places: ['infra/app/appSettings.bicep'],
    reason: 'Host storage: deployment package and timer locks, in any cloud.',
  },
  AzureWebJobsStorage__queueServiceUri: { places: ['infra/app/appSettings.bicep'], reason: 'Host storage: queue triggers, in any cloud.' },
  AzureWebJobsStorage__tableServiceUri: { places: ['infra/app/appSettings.bicep'], reason: 'Host storage: tables, in any cloud.' },
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: {
    places: ['infra/app/appSettings.bicep'],
    reason: 'Sends telemetry with the managed identity, since Application Insights has local (key) authentication off.',
  },
};
