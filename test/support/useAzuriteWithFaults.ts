import { afterAll, afterEach, beforeAll } from 'vitest';
import { startAzurite, type Azurite } from '../../local/azurite/startAzurite.js';
import { startStorageFaultProxy, type StorageFaultProxy } from './storageFaultProxy.js';

/**
 * In-memory Azurite with a storage fault proxy in front, for one test file of adapters that need no
 * local cloud: started before the file's tests, faults cleared after each, stopped at the end.
 */
export function useAzuriteWithFaults(): { readonly azurite: Azurite; readonly proxy: StorageFaultProxy } {
  let azurite: Azurite | undefined;
  let proxy: StorageFaultProxy | undefined;
  beforeAll(async () => {
    azurite = await startAzurite();
    proxy = await startStorageFaultProxy(azurite);
  });
  afterEach(() => proxy?.clear());
  afterAll(async () => {
    await proxy?.stop();
    await azurite?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('Azurite and the fault proxy start in beforeAll');
    return value;
  };
  return {
    get azurite() {
      return started(azurite);
    },
    get proxy() {
      return started(proxy);
    },
  };
}
