import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../../../local/cloud/scenario/scenarioSchema.js';

const withEndpoint = (secret: string) => ({ tenants: [], webhookEndpoints: [{ name: 'cerb', secret }] });

describe('scenarioSchema', () => {
  it.each([
    ['whsec_', 'an empty key, which standardwebhooks refuses ("Secret can\'t be empty.")'],
    ['whsec_!!!', 'a key that is not base64'],
    ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'a key without the whsec_ prefix'],
  ])('refuses the webhook secret %s: %s', (secret) => {
    const parsed = scenarioSchema.safeParse(withEndpoint(secret));
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('webhookEndpoints');
  });

  it('accepts a Standard Webhooks secret', () => {
    expect(scenarioSchema.safeParse(withEndpoint('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).success).toBe(true);
  });

  it('takes a user without a mailbox', () => {
    const tenant = { id: '11111111-1111-4111-8111-111111111111', displayName: 'C', defaultDomain: 'c.onmicrosoft.com' };
    const parsed = scenarioSchema.parse({ tenants: [{ ...tenant, users: [{ userPrincipalName: 'a@c.onmicrosoft.com', mail: null }] }] });
    expect(parsed.tenants[0]!.users[0]!.mail).toBeNull();
  });
});
