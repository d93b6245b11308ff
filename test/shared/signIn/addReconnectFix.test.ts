import { describe, expect, it } from 'vitest';
import { addReconnectFix } from '../../../shared/signIn/addReconnectFix.js';
import { reconnectAlert } from './signInFixtures.js';

describe('addReconnectFix', () => {
  it.each(['revoked', 'consentWithdrawn', 'interactionRequired'])(
    'says in a %s alert who signs in and where the link is, and puts no link in the event',
    (failureClass) => {
      const [event] = addReconnectFix([reconnectAlert(failureClass)]);
      expect(event!.fix).toMatch(
        /^helpdesk@contoso\.com signs in again to reconnect it: Vigil's mail, Teams and Slack alerts carry a fresh single-use sign-in link, .* Without a sign-in link: The mailbox owner signs in again/,
      );
      expect(JSON.stringify(event)).not.toContain('/sign-in/');
      expect(event!.links).not.toHaveProperty('reconnect');
    },
  );

  it('leaves alerts a sign-in does not fix, and connections without an owner to sign in, as they are', () => {
    const events = [
      reconnectAlert('transient'),
      reconnectAlert('clientCredentialProblem'),
      reconnectAlert('revoked', null),
      reconnectAlert('revoked', 'Service desk'),
    ];
    expect(addReconnectFix(events)).toEqual(events);
  });
});
