import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withPublicBaseUrl } from '../../../local/devhost/localSettings.js';
import { localPorts } from '../../../local/localPorts.js';
import { projectRoot } from '../../../local/paths.js';

const sample = (
  JSON.parse(readFileSync(path.join(projectRoot, 'local.settings.sample.json'), 'utf8')) as { Values: Record<string, string> }
).Values;
const served = 'http://localhost:53117';

describe("the dev host's public base URL", () => {
  it("points the sample's default at the origin the dev host serves, so sign-in links reach it on any port", () => {
    expect(sample['VIGIL_PUBLIC_BASE_URL']).toBe(`http://localhost:${localPorts.devHost}`);
    expect(withPublicBaseUrl(sample, served)['VIGIL_PUBLIC_BASE_URL']).toBe(served);
    expect(withPublicBaseUrl({ VIGIL_PUBLIC_BASE_URL: `http://localhost:${localPorts.devHost}/` }, served).VIGIL_PUBLIC_BASE_URL).toBe(
      served,
    );
  });

  it("keeps a person's own base URL, on localhost too (a port forward, a local TLS proxy)", () => {
    for (const own of ['https://vigil.contoso.com', 'http://localhost:8080', 'https://localhost:7071', 'http://127.0.0.1:7071'])
      expect(withPublicBaseUrl({ ...sample, VIGIL_PUBLIC_BASE_URL: own }, served)['VIGIL_PUBLIC_BASE_URL']).toBe(own);
  });

  it('leaves settings without one as they are', () => {
    const none = Object.fromEntries(Object.entries(sample).filter(([name]) => name !== 'VIGIL_PUBLIC_BASE_URL'));
    expect(withPublicBaseUrl(none, served)).toEqual(none);
  });
});
