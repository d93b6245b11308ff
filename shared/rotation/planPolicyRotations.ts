import type { DateTime } from 'luxon';
import type { ApplicationInfo } from './RotationPorts.js';
import type { PasswordCredentialInfo } from './Rotation.js';
import type { RotationRule } from './rotationRules.js';
import { vaultTagNames } from '../vault/vaultTagNames.js';

/** An app that opted in to policy-driven rotation, by a rule (setting) or by tags on its Key Vault secret. */
export interface PolicyCandidate {
  source: 'rule' | 'tag';
  appId: string;
  vaultUrl: string;
  vaultSecretName: string;
  withinDays: number;
  /** The secret the vault copy holds (tag `vigil-key-id`); else the app's longest-lived secret is watched. */
  keyId?: string;
  lifetimeDays?: number;
  retireOldAfterHours?: number | 'never';
}

export interface DuePolicyRotation {
  candidate: PolicyCandidate;
  credential: PasswordCredentialInfo;
  daysLeft: number;
}

/** Candidates from the rules setting and from tagged vault secrets; a rule wins over a tag for the same secret. */
export function policyCandidates(
  rules: readonly RotationRule[],
  defaultVaultUrl: string,
  tagged: ReadonlyArray<{ vaultUrl: string; name: string; tags: Record<string, string> }>,
): PolicyCandidate[] {
  const fromRules = rules.map((r): PolicyCandidate => ({
    source: 'rule',
    appId: r.appId,
    vaultUrl: r.vaultUrl ?? defaultVaultUrl,
    vaultSecretName: r.vaultSecretName,
    withinDays: r.withinDays,
    ...(r.lifetimeDays ? { lifetimeDays: r.lifetimeDays } : {}),
    ...(r.retireOldAfterHours !== undefined ? { retireOldAfterHours: r.retireOldAfterHours } : {}),
  }));
  const fromTags = tagged.flatMap((s): PolicyCandidate[] => {
    const appId = s.tags[vaultTagNames.appId];
    const withinDays = Number(s.tags[vaultTagNames.rotateWithinDays]);
    if (!appId || !Number.isInteger(withinDays) || withinDays < 1) return [];
    const keyId = s.tags[vaultTagNames.keyId];
    return [{ source: 'tag', appId, vaultUrl: s.vaultUrl, vaultSecretName: s.name, withinDays, ...(keyId ? { keyId } : {}) }];
  });
  const seen = new Set<string>();
  return [...fromRules, ...fromTags].filter((c) => {
    const key = `${c.vaultUrl.toLowerCase()}|${c.vaultSecretName.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface PolicyPlan {
  due: DuePolicyRotation[];
  /** Candidates whose new secret would itself be due at once (`withinDays` ≥ lifetime): rotating would loop. */
  misconfigured: PolicyCandidate[];
}

/** The candidates whose watched secret has fewer than `withinDays` days left at `now`, one per app. */
export function planPolicyRotations(
  candidates: readonly PolicyCandidate[],
  applications: ReadonlyMap<string, ApplicationInfo>,
  now: DateTime,
  defaultLifetimeDays: number,
): PolicyPlan {
  const due: DuePolicyRotation[] = [];
  const misconfigured: PolicyCandidate[] = [];
  for (const candidate of candidates) {
    if (candidate.withinDays >= (candidate.lifetimeDays ?? defaultLifetimeDays)) {
      misconfigured.push(candidate);
      continue;
    }
    const app = applications.get(candidate.appId.toLowerCase());
    if (!app || due.some((d) => d.candidate.appId.toLowerCase() === candidate.appId.toLowerCase())) continue;
    const credential = watchedCredential(app.passwordCredentials, candidate.keyId);
    if (!credential) continue;
    const daysLeft = (Date.parse(credential.endDateTime) - now.toMillis()) / 86_400_000;
    if (daysLeft < candidate.withinDays) due.push({ candidate, credential, daysLeft: Math.floor(daysLeft) });
  }
  return { due, misconfigured };
}

function watchedCredential(credentials: readonly PasswordCredentialInfo[], keyId: string | undefined): PasswordCredentialInfo | undefined {
  if (keyId) return credentials.find((c) => c.keyId.toLowerCase() === keyId.toLowerCase());
  return [...credentials].sort((a, b) => Date.parse(b.endDateTime) - Date.parse(a.endDateTime))[0];
}
