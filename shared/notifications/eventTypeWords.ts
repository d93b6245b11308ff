import type { VigilEventType } from '../events/vigilEvent.js';

/**
 * What each event type is, in words a person reads in a digest line ("Contoso — directory scan failed"):
 * never the raw type (`scan.failed`). A record, so a new event type does not compile without its words.
 */
export const eventTypeWords: Record<VigilEventType, string> = {
  'token.refreshed': 'token refreshed',
  'token.refresh_failed': 'token refresh failed',
  'token.recovered': 'token refresh works again',
  'token.connected': 'token connection signed in',
  'token.sign_in_refused': 'sign-in refused',
  'token.misconfigured': 'token connection misconfigured',
  'token.removed': 'token connection removed',
  'credential.expiring': 'credential expiring',
  'credential.expired': 'credential expired',
  'credential.stale': 'expired credential left on the app',
  'credential.rotated': 'credential rotated',
  'credential.removed': 'credential removed',
  'credential.hygiene': 'credential to tidy up',
  'scan.failed': 'directory scan failed',
  'scan.recovered': 'directory scan works again',
  'scan.completed': 'directory scan completed',
  'scan.baseline': 'first scan of the tenant: what is already there',
  'vault.failed': 'Key Vault could not be listed',
  'vault.recovered': 'Key Vault can be listed again',
  'rotation.completed': 'secret rotation completed',
  'rotation.failed': 'secret rotation failed',
  'rotation.retire_deferred': 'old secret kept: still in use',
  'delivery.failed': 'notification delivery failed',
  'delivery.recovered': 'notification delivery works again',
  'queue.poisoned': 'messages parked in a poison queue',
};
