import { credentialRulesOf, noRules, policyOf, type CredentialRules, type TenantPolicies } from './AppPolicy.js';
import type { HygieneItem } from './HygieneItem.js';
import type { CredentialFacts } from '../scanner/Finding.js';

/** What hygiene is judged against in one tenant: its policies, its apps with federated credentials, Vigil's maximum. */
export interface HygieneContext {
  policies: TenantPolicies;
  /** Object ids (lower case) of applications that have at least one federated identity credential. */
  federatedApps: ReadonlySet<string>;
  /** Longest lifetime of a client secret Vigil accepts (CISA SCuBA: 180 days). */
  secretMaxLifetimeDays: number;
}

export interface ObjectOnRecord {
  kind: 'application' | 'servicePrincipal';
  id: string;
  displayName: string;
  createdDateTime: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Hygiene of one application's credentials (service principals' credentials are SAML certificates
 * and their parts, judged by expiry alone), by key id. Lifetimes are judged only on `watched` objects
 * (those Vigil already reports on or keeps in a vault): most tenants hold thousands of secrets older
 * than any policy, and the rest are raised when they come up for renewal. Judged on the credential's
 * own dates: end minus start.
 */
export function judgeHygiene(
  object: ObjectOnRecord,
  credentials: readonly CredentialFacts[],
  context: HygieneContext,
  options: { watched: boolean; nowMs: number },
): ReadonlyMap<string, HygieneItem[]> {
  if (object.kind !== 'application') return NO_ITEMS;
  const federated = context.federatedApps.has(object.id.toLowerCase());
  // Most applications of a tenant raise nothing, and this runs for each of them: one that is not watched and
  // has no federated credential can raise only tooManySecrets, so its active secrets are counted before any list is made.
  if (!options.watched && !federated && activeSecrets(credentials, options.nowMs) <= 2) return NO_ITEMS;
  let items: Map<string, HygieneItem[]> | undefined;
  const add = (keyId: string, item: HygieneItem) => (items ??= new Map()).set(keyId, [...(items.get(keyId) ?? []), item]);
  const active = credentials.filter((c) => isActiveSecret(c, options.nowMs));
  if (options.watched) {
    const rules = rulesOf(object, context);
    for (const c of credentials) {
      const item = lifetimeItem(c, rules, context.secretMaxLifetimeDays);
      if (item) add(c.keyId, item);
    }
  }
  if (active.length > 2) {
    const oldestFirst = [...active].sort((a, b) => Date.parse(a.endDateTime) - Date.parse(b.endDateTime));
    for (const c of oldestFirst.slice(0, active.length - 2))
      add(c.keyId, {
        check: 'tooManySecrets',
        reason: `${object.displayName} has ${active.length} active client secrets; keep at most two (the one in use and its replacement) and remove this one, which ends first.`,
      });
  }
  if (federated)
    for (const c of active)
      add(c.keyId, {
        check: 'besideFederatedCredential',
        reason: `${object.displayName} has a federated identity credential, so this client secret is a leftover: move what still uses it to the federated credential, then remove it.`,
      });
  return items ?? NO_ITEMS;
}

const isActiveSecret = (c: CredentialFacts, nowMs: number) => c.credentialType === 'password' && Date.parse(c.endDateTime) > nowMs;

function activeSecrets(credentials: readonly CredentialFacts[], nowMs: number): number {
  let count = 0;
  for (const c of credentials) if (isActiveSecret(c, nowMs)) count += 1;
  return count;
}

/** The answer when nothing is raised, shared (read only). */
const NO_ITEMS: ReadonlyMap<string, HygieneItem[]> = new Map();

function rulesOf(object: ObjectOnRecord, context: HygieneContext): CredentialRules {
  if (context.policies.kind !== 'read') return noRules;
  return credentialRulesOf(policyOf(context.policies, object.id), object.createdDateTime);
}

function lifetimeItem(c: CredentialFacts, rules: CredentialRules, maxDays: number): HygieneItem | undefined {
  if (c.startDateTime === null || (c.credentialType !== 'password' && c.credentialType !== 'certificate')) return undefined;
  const days = Math.round((Date.parse(c.endDateTime) - Date.parse(c.startDateTime)) / DAY_MS);
  const word = c.credentialType === 'password' ? 'client secret' : 'certificate';
  const limit = c.credentialType === 'password' ? rules.passwordMaxLifetime : rules.certificateMaxLifetime;
  if (limit && days > limit.days)
    return {
      check: 'lifetimeOverPolicy',
      reason: `This ${word} is valid for ${days} days; ${limit.policy} allows at most ${limit.days}. Replace it with a shorter-lived one when it is renewed.`,
    };
  if (c.credentialType === 'password' && days > maxDays)
    return {
      check: 'lifetimeOverMaximum',
      reason: `This client secret is valid for ${days} days, more than the ${maxDays} days Vigil allows (the CISA SCuBA baseline). Renew it with a shorter lifetime.`,
    };
  return undefined;
}
