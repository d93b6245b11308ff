import azureFunctions from '@azure/functions';

/**
 * `@azure/functions` ships as a bundled CommonJS module whose named exports Node's ESM loader cannot see,
 * so values are taken from its default export here; types can still be imported by name.
 */
export const { app, HttpRequest, HttpResponse, InvocationContext } = azureFunctions;
