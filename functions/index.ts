import { app } from './azureFunctions.js';
import { loadSettings } from '../shared/settings/loadSettings.js';
import { createRuntime, type Runtime } from '../shared/wiring/createRuntime.js';
import { functionDefinitions } from './functionDefinitions.js';

/**
 * The entry point the Functions host loads (package.json `main`). Settings are checked here, at load,
 * so a missing or malformed one stops start-up with a message naming it instead of failing later.
 */
const settings = loadSettings();
let runtime: Runtime | undefined;
const getRuntime = (): Runtime => (runtime ??= createRuntime(settings));

app.setup({ enableHttpStream: false });
for (const definition of functionDefinitions) {
  switch (definition.kind) {
    case 'timer':
      app.timer(definition.name, {
        schedule: definition.schedule,
        runOnStartup: false,
        handler: (timer, context) => definition.handler(timer, context, getRuntime()),
      });
      break;
    case 'http':
      app.http(definition.name, {
        methods: definition.methods,
        authLevel: definition.authLevel,
        route: definition.route,
        handler: (request, context) => definition.handler(request, context, getRuntime()),
      });
      break;
    case 'storageQueue':
      app.storageQueue(definition.name, {
        queueName: definition.queueName,
        connection: 'AzureWebJobsStorage',
        handler: (message, context) => definition.handler(message, context, getRuntime()),
      });
      break;
  }
}
