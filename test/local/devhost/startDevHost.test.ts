import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startDevHost } from '../../../local/devhost/startDevHost.js';
import { SettingsError } from '../../../shared/settings/loadSettings.js';

describe('the dev host starting with a broken local.settings.json', () => {
  it('names every bad setting even when its port is taken, instead of failing on the port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const started = startDevHost({
        settings: { VIGIL_TENANT_ID: 'contoso', VIGIL_PUBLIC_BASE_URL: 'http://vigil.contoso.com' },
        httpPort: (taken.address() as AddressInfo).port,
        definitions: [],
        sink: () => undefined,
        clock: () => Date.now(),
      });
      await expect(started).rejects.toThrow(SettingsError);
      await expect(started).rejects.toThrow(/VIGIL_TENANT_ID: /);
      await expect(started).rejects.toThrow('VIGIL_PUBLIC_BASE_URL: must be an https URL (http only for localhost)');
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
