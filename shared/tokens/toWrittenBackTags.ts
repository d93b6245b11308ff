import type { DateTime } from 'luxon';
import { keyVaultTagLimits, writtenBackTagNames } from './connectionTags.js';

export interface RefreshFacts {
  refreshedAt: DateTime;
  grantedScopes: string[];
  expectedLapse: DateTime;
}

/**
 * The secret's tags after a refresh: everything it had, plus Vigil's three. Key Vault caps a tag value
 * at 256 characters, so a long scope list keeps whole scopes and says how many it left out.
 */
export function toWrittenBackTags(current: Record<string, string>, facts: RefreshFacts): Record<string, string> {
  return {
    ...current,
    [writtenBackTagNames.lastRefresh]: toTagTime(facts.refreshedAt),
    [writtenBackTagNames.grantedScopes]: fitScopes(facts.grantedScopes),
    [writtenBackTagNames.expectedLapse]: toTagTime(facts.expectedLapse),
  };
}

export function toTagTime(time: DateTime): string {
  return time.toUTC().startOf('second').toISO({ suppressMilliseconds: true })!;
}

export function fitScopes(scopes: string[], limit: number = keyVaultTagLimits.maxValueLength): string {
  const all = scopes.join(' ');
  if (all.length <= limit) return all;
  for (let kept = scopes.length - 1; kept >= 0; kept--) {
    const text = [...scopes.slice(0, kept), `+${scopes.length - kept} more`].join(' ');
    if (text.length <= limit) return text;
  }
  return `${scopes.length} scopes`;
}
