import { Duration } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { VigilEvent } from '../../../shared/events/vigilEvent.js';
import { addReconnectLinks } from '../../../shared/signIn/addReconnectLinks.js';
import type { RegisteredRedirectUris } from '../../../shared/signIn/checkRedirectUri.js';
import { tokenFailed } from '../notifications/notificationFixtures.js';
import { cerbTags, memorySignInStore } from './signInFixtures.js';

const BASE = 'https://vigil.example';
const tags = cerbTags;
const alert = (failureClass: string, owner: string | null = 'helpdesk@contoso.com'): VigilEvent => {
  const event = tokenFailed();
  if (event.type !== 'token.refresh_failed') throw new Error('fixture');
  const { owner: _owner, ...routing } = event.routing;
  return {
    ...event,
    routing: { ...routing, ...(owner ? { owner } : {}), tags },
    data: { ...event.data, failureClass: failureClass as 'revoked' },
  };
};
const deps = (found: RegisteredRedirectUris = { kind: 'found', uris: [`${BASE}/api/signed-in`] }) => {
  const store = memorySignInStore();
  return { store, apps: { redirectUris: async () => found }, settings: { baseUrl: BASE, lifetime: Duration.fromObject({ days: 7 }) } };
};

describe('addReconnectLinks', () => {
  it.each(['revoked', 'consentWithdrawn', 'interactionRequired'])(
    'gives a %s alert a single-use link and says so in fix',
    async (failureClass) => {
      const d = deps();
      const [event] = await addReconnectLinks(d, [alert(failureClass)]);
      expect(event!.links.reconnect).toMatch(/^https:\/\/vigil\.example\/api\/sign-in\/[A-Za-z0-9_-]{43}$/);
      expect(event!.fix).toMatch(
        /^helpdesk@contoso\.com opens the reconnect link and signs in: .* Without the link: The mailbox owner signs in again/,
      );
      const [stored] = [...d.store.links.values()];
      // Valid for the lifetime from the alert's own time; the table holds the link's hash, never the link.
      expect(stored).toMatchObject({
        purpose: 'alert',
        status: 'open',
        createdAt: '2026-11-23T06:00:00.000Z',
        expiresAt: '2026-11-30T06:00:00.000Z',
      });
      expect(JSON.stringify([...d.store.links])).not.toContain(event!.links.reconnect!.split('/').at(-1));
    },
  );

  it('leaves alerts a sign-in does not fix, and connections without an owner to sign in, as they are', async () => {
    const d = deps();
    const events = [alert('transient'), alert('clientCredentialProblem'), alert('revoked', null), alert('revoked', 'Service desk')];
    expect(await addReconnectLinks(d, events)).toEqual(events);
    expect(d.store.links.size).toBe(0);
  });

  it('offers no link when the app lacks the redirect URI, and says what to add', async () => {
    const d = deps({ kind: 'found', uris: ['https://cerb.example/oauth'] });
    const [event] = await addReconnectLinks(d, [alert('revoked')]);
    expect(event!.links.reconnect).toBeUndefined();
    expect(event!.fix).toContain(`does not list Vigil's redirect URI ${BASE}/api/signed-in`);
    expect(d.store.links.size).toBe(0);
  });

  it('still offers the link when the registration cannot be read, saying it was not checked', async () => {
    const [event] = await addReconnectLinks(deps({ kind: 'unchecked', reason: 'no client for the tenant' }), [alert('revoked')]);
    expect(event!.links.reconnect).toBeDefined();
    expect(event!.fix).toContain('could not check that app 44f628de-020f-43a1-ad06-1b052459bdc3 lists its redirect URI');
  });

  it('never loses the alert when no link can be made', async () => {
    const d = deps();
    d.store.saveLink = async () => {
      throw new Error('table down');
    };
    const [event] = await addReconnectLinks(d, [alert('revoked')]);
    expect(event!.links.reconnect).toBeUndefined();
    expect(event!.fix).toContain('Vigil could not make a sign-in link');
  });
});
