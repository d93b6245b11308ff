import { describe, expect, it } from 'vitest';
import { checkFormOrigin } from '../../../shared/dashboard/checkFormOrigin.js';

const own = ['https://vigil.contoso.com', 'https://vigil-app.azurewebsites.net'];
const headers = (values: Record<string, string>) => new Headers(values);

describe('checkFormOrigin', () => {
  it.each([
    [{ origin: 'https://vigil.contoso.com', 'sec-fetch-site': 'same-origin' }],
    [{ origin: 'https://vigil-app.azurewebsites.net' }],
    [{ referer: 'https://vigil.contoso.com/api/dashboard?tenant=x' }],
  ])('accepts a post from Vigil’s own pages: %j', (values) => {
    expect(checkFormOrigin(headers(values), own)).toEqual({ kind: 'sameOrigin' });
  });

  it.each([
    [{ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 'Sec-Fetch-Site is cross-site'],
    [{ origin: 'https://vigil.contoso.com', 'sec-fetch-site': 'same-site' }, 'Sec-Fetch-Site is same-site'],
    [{ origin: 'https://evil.example' }, 'comes from https://evil.example'],
    [{ origin: 'https://vigil.contoso.com.evil.example' }, 'comes from https://vigil.contoso.com.evil.example'],
    [{ origin: 'null' }, 'an opaque origin'],
    [{ referer: 'https://evil.example/page' }, 'comes from a page at https://evil.example'],
    [{}, 'names no Origin or Referer'],
  ])('refuses a post from anywhere else: %j', (values, detail) => {
    const check = checkFormOrigin(headers(values), own);
    expect(check.kind).toBe('crossSite');
    expect(check.kind === 'crossSite' && check.detail).toContain(detail);
  });
});
