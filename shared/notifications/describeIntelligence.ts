import { describeImpact } from '../intelligence/Impact.js';
import { describeUsage } from '../intelligence/CredentialUsage.js';
import type { VigilEvent } from '../events/vigilEvent.js';

/** One labelled line of an item beyond its summary, impact and fix: usage, advice, blast radius, hygiene, links. */
export interface ItemDetail {
  label: string;
  text: string;
}

/**
 * The intelligence an event carries, as lines a person reads in a mail item or a Teams card: when the
 * credential was last used, the recommended path and why, what breaks with it, what to tidy up, and the
 * scanner's finding a refresh failure belongs to.
 */
export function describeIntelligence(event: VigilEvent, nowMs: number): ItemDetail[] {
  const details: ItemDetail[] = [];
  const data = event.data;
  if ('credentialType' in data) {
    if (data.usage) details.push({ label: 'Usage', text: describeUsage(data.usage, nowMs) });
    if (data.advice) details.push({ label: 'Advice', text: `${data.advice.text} ${data.advice.reason}` });
    const radius = data.impact ? describeImpact(data.impact) : '';
    if (radius) details.push({ label: 'What breaks', text: radius });
    for (const item of data.hygiene ?? []) details.push({ label: 'To tidy up', text: item.reason });
  }
  if (event.type === 'token.refresh_failed' && event.data.linkedFinding) {
    const f = event.data.linkedFinding;
    details.push({
      label: 'Same problem as',
      text: `finding ${f.findingId}: the client secret of ${f.subjectName} (key ${f.keyId}), which ends ${f.endDateTime.slice(0, 10)}`,
    });
  }
  return details;
}
