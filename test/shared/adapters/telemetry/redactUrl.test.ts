import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../../../shared/adapters/telemetry/redactUrl.js';

describe('redactUrl', () => {
  it.each([
    ['https://graph.microsoft.com/v1.0/applications?$select=id&$skiptoken=abc', 'https://graph.microsoft.com/v1.0/applications'],
    ['https://contoso.vault.azure.net/secrets/cerb?api-version=2025-07-01', 'https://contoso.vault.azure.net/secrets/cerb'],
    ['https://login.microsoftonline.us/tenant/oauth2/v2.0/token', 'https://login.microsoftonline.us/tenant/oauth2/v2.0/token'],
    ['https://stvigil.queue.core.windows.net/q/messages?sv=1&sig=SECRET', 'https://stvigil.queue.core.windows.net/q/messages'],
    // A Teams Workflow URL: the signature is in the query, and the path names the workflow.
    [
      'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sp=%2F&sv=1.0&sig=SECRET',
      'https://prod-01.westeurope.logic.azure.com/',
    ],
    // A Slack-style hook: the path is the secret.
    ['https://hooks.example.com/services/T000/B000/SECRETPART', 'https://hooks.example.com/'],
    ['https://user:pass@graph.microsoft.com/v1.0/me', 'https://graph.microsoft.com/v1.0/me'],
    ['not a url', 'redacted'],
  ])('%s → %s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});
