import type { HttpResponseInit } from '@azure/functions';
import type { TokenVault } from '../shared/tokens/TokenPorts.js';
import { findStore, type TokenKeeper } from '../shared/wiring/createTokenKeeper.js';
import { problem } from './problem.js';

/** The vault named by `?vault=`, the only watched vault, or the one vault where Vigil has seen this name. */
export async function findVault(
  keeper: TokenKeeper,
  name: string,
  vault: string | null,
): Promise<{ store: TokenVault } | { response: HttpResponseInit }> {
  if (vault) {
    const store = URL.canParse(vault) ? findStore(keeper, vault) : undefined;
    return store
      ? { store }
      : {
          response: problem('unknownVault', `Vigil does not watch ${vault}; see VIGIL_KEY_VAULT_URLS.`, {
            errors: [{ field: 'vault', message: 'not a watched vault' }],
          }),
        };
  }
  if (keeper.stores.length === 1) return { store: keeper.stores[0]! };
  const seen = (await keeper.states.list()).filter((s) => s.name.toLowerCase() === name.toLowerCase());
  const stores = seen.map((s) => findStore(keeper, s.vaultUrl)).filter((s): s is TokenVault => s !== undefined);
  if (stores.length === 1) return { store: stores[0]! };
  if (stores.length === 0)
    return { response: problem('unknownConnection', `Vigil has not seen a connection named ${name}; name its vault with ?vault=.`) };
  return {
    response: problem('ambiguousConnection', `Several vaults hold a connection named ${name}; name one with ?vault=.`, {
      vaults: stores.map((s) => s.vaultUrl),
    }),
  };
}
