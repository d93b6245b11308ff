import type { RotationItem } from '../apiSchemas.js';

type HistoryEntry = RotationItem['history'][number];

const credential = (c: NonNullable<RotationItem['oldCredential']>) =>
  `${c.displayName ? `"${c.displayName}" ` : ''}(key ${c.keyId}, ends ${c.endDateTime.slice(0, 10)})`;

/** What a rotation will do (dry run) or is doing: the app, the secret it replaces, where the new one goes. */
export function toRotationLines(rotation: RotationItem): string[] {
  const head = rotation.dryRun
    ? `Dry run: nothing changed. Vigil would rotate ${rotation.application.displayName} (${rotation.application.appId}):`
    : `Rotation ${rotation.id} of ${rotation.application.displayName} (${rotation.application.appId}): ${rotation.status}`;
  const retire =
    rotation.retireOldAfterHours === 'never' ? 'never removed' : `removed ${rotation.retireOldAfterHours} h after the new one is in use`;
  return [
    head,
    `  replaces   ${rotation.oldCredential ? `${credential(rotation.oldCredential)}, ${retire}` : 'nothing (a new secret is added; none is removed)'}`,
    `  new secret ${rotation.newCredential ? credential(rotation.newCredential) : `valid ${rotation.lifetimeDays} days`}`,
    `  stored in  ${rotation.vault.url} secret ${rotation.vault.secretName}${rotation.vault.version ? ` version ${rotation.vault.version}` : ''}`,
    ...(rotation.failure ? [`  FAILED at ${rotation.failure.step}: ${rotation.failure.reason}`] : []),
  ];
}

/** One step of a rotation's history as it happened: `14:02:11Z verify  ok  token issued`. */
export const toHistoryLine = (entry: HistoryEntry): string =>
  `  ${entry.at.slice(11, 19)}Z ${entry.step.padEnd(9)} ${entry.outcome}${entry.detail ? `: ${entry.detail}` : ''}`;
