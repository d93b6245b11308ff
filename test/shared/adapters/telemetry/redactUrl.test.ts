import { describe, expect, it } from 'vitest';
import { redactUrl, redactedUrlAttributes } from '../../../../shared/adapters/telemetry/redactUrl.js';

/** URLs built to slip a secret past the redaction: each keeps no more than its API path, or its origin. */
const hostile: Array<[string, string]> = [
  ['https://user:pass@hooks.example.com/services/SECRET', 'https://hooks.example.com/'],
  // An API host's name as userinfo: the host is the one after `@`.
  ['https://graph.microsoft.com@evil.example.com/hook/SECRET', 'https://evil.example.com/'],
  ['https://hooks.example.com/a@graph.microsoft.com/SECRET', 'https://hooks.example.com/'],
  // A backslash ends the host, as a slash does (WHATWG URL): here the request goes to Graph, and its path is Graph's.
  ['https://graph.microsoft.com\\@evil.example.com/x', 'https://graph.microsoft.com/@evil.example.com/x'],
  ['https://evil.example.com\\.graph.microsoft.com/SECRET', 'https://evil.example.com/'],
  ['https://graph.microsoft.com.evil.example/SECRET', 'https://graph.microsoft.com.evil.example/'],
  ['https://graph.microsoft.com%2eevil.example/SECRET', 'https://graph.microsoft.com.evil.example/'],
  ['https://evilgraph.microsoft.com/SECRET', 'https://evilgraph.microsoft.com/'],
  // A trailing dot names the same host but is not on the list: only its origin is kept.
  ['https://graph.microsoft.com./SECRET', 'https://graph.microsoft.com./'],
  // An IDN look-alike (Cyrillic `а`) arrives as punycode, which is no API host.
  ['https://gr\u0430ph.microsoft.com/SECRET', 'https://xn--grph-63d.microsoft.com/'],
  ['https://graph.microsoft.com/v1.0/%2e%2e/%2E%2E/me', 'https://graph.microsoft.com/me'],
  ['HTTPS://GRAPH.MICROSOFT.COM/v1.0/Me?x=SECRET', 'https://graph.microsoft.com/v1.0/Me'],
  ['https://graph.microsoft.com/v1.0/me#access_token=SECRET', 'https://graph.microsoft.com/v1.0/me'],
  ['https://hooks.example.com:8443/SECRET', 'https://hooks.example.com:8443/'],
  ['https://hooks.example.com/x%3Fsig=SECRET', 'https://hooks.example.com/'],
  ['//graph.microsoft.com/SECRET', 'redacted'],
];

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
    ...hostile,
  ])('%s → %s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});

describe('redactedUrlAttributes', () => {
  // What the undici spans carry: the same redaction, and the path of what is kept (as parsing `url.full` again gives it).
  it.each([
    ['https://graph.microsoft.com/v1.0/applications?$skiptoken=abc', 'https://graph.microsoft.com/v1.0/applications'],
    [
      'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=SECRET',
      'https://prod-01.westeurope.logic.azure.com/',
    ],
    ['not a url', 'redacted'],
    ...hostile,
  ])('%s → %s', (url, expected) => {
    const attributes = redactedUrlAttributes(url);
    expect(attributes).toEqual({
      'url.full': expected,
      'url.path': expected === 'redacted' ? '' : new URL(expected).pathname,
      'url.query': '',
    });
    expect(Object.values(attributes).join(' ')).not.toMatch(/SECRET|pass/);
  });
});
