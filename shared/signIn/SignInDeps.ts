import type { Duration } from 'luxon';
import type { CloudName } from '../cloud/cloudEndpoints.js';
import type { EventPublisher } from '../events/EventPublisher.js';
import type { ReadCertificate } from '../tokens/createCertificateCache.js';
import type { TokenVault } from '../tokens/TokenVault.js';
import type { Sleep } from '../helpers/sleep.js';
import type { AuthorizationServer } from './AuthorizationServer.js';
import type { LinkSettings } from './mintSignInLink.js';
import type { SignInStore } from './SignInStore.js';

/** How the first check of a stored token went, as the sign-in pages and events tell it. */
export type StoredTokenCheck =
  | { kind: 'healthy' }
  | { kind: 'failing'; failureClass: string; code: string; whoMustAct: string }
  | { kind: 'notChecked'; reason: string };

/** Everything the sign-in flow needs, passed in (shared/wiring/createSignIn.ts builds it). */
export interface SignInDeps {
  store: SignInStore;
  settings: LinkSettings & {
    /** How long a started sign-in may take between the redirect to Entra and its answer. */
    flowLifetime: Duration;
  };
  vault: (vaultUrl: string) => TokenVault | undefined;
  loginHost: (cloud: CloudName) => string;
  server: AuthorizationServer;
  /** Refreshes the connection once under its lease, as the token keeper does, and says how it went. */
  probe: (ref: { vaultUrl: string; name: string }) => Promise<StoredTokenCheck>;
  events: EventPublisher;
  homeTenantId: string;
  sleep: Sleep;
  /** The token keeper's certificate reads, kept per secret version; absent, each sign-in reads its own. */
  readCertificate?: ReadCertificate;
}
