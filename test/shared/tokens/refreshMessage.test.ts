import { describe, expect, it } from 'vitest';
import { refreshMessageSchema } from '../../../shared/tokens/RefreshMessage.js';
import { VAULT_URL } from './tokenTestData.js';

const message = { vaultUrl: VAULT_URL, name: 'cerb-mailbox', plannedAt: '2026-11-23T06:00:00.000Z', reason: 'due' };
const state = { vaultUrl: VAULT_URL, name: 'cerb-mailbox', status: 'healthy', consecutiveFailures: 0 };

describe('the refresh queue message', () => {
  it('carries the planned row: its version and state, or null for no row', () => {
    expect(refreshMessageSchema.parse({ ...message, planned: { version: 'W/"1"', state } }).planned).toEqual({ version: 'W/"1"', state });
    expect(refreshMessageSchema.parse({ ...message, planned: { version: null } }).planned).toEqual({ version: null });
  });

  it('keeps a message whose plan does not parse, without the plan, so the refresh reads the row instead', () => {
    const parsed = refreshMessageSchema.safeParse({ ...message, planned: { version: 'W/"1"', state: { ...state, status: 'sleeping' } } });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(message);
  });

  it('still refuses a message without the connection it is about', () => {
    expect(refreshMessageSchema.safeParse({ ...message, name: 'not a secret name!' }).success).toBe(false);
  });
});
