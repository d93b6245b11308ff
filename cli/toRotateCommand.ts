import type { Command, RotationTarget } from './Command.js';
import { wholeNumber, type OptionValues } from './cliOptions.js';

const FINDING_ID = /^f-[0-9a-f]{20}$/;

/**
 * `rotate <appId>[/<keyId>] --tenant --secret …`, or `rotate <findingId>`, which takes the app, the secret
 * to replace, its tenant and its Key Vault copy from the finding (flags still win).
 */
export function toRotateCommand(given: string, values: OptionValues): Command | { error: string } {
  const target = toTarget(given);
  if (!target) return { error: `rotate ${given}: give <appId>, <appId>/<keyId> or a finding id (f-…)` };
  if (target.kind === 'app' && !values.tenant)
    return { error: 'rotate needs --tenant, the tenant id of the app registration (Vigil rotates in its home tenant)' };
  if (target.kind === 'app' && !values.secret)
    return { error: 'rotate needs --secret, the Key Vault secret that receives the new client secret' };
  const lifetime = values['lifetime-days'];
  const lifetimeDays = lifetime === undefined ? undefined : wholeNumber(lifetime);
  if (lifetime !== undefined && lifetimeDays === undefined) return { error: `--lifetime-days ${lifetime}: give a whole number of days` };
  const retire = values['retire-after'];
  const retireOldAfterHours = retire === undefined || retire === 'never' ? retire : wholeNumber(retire);
  if (retire !== undefined && retireOldAfterHours === undefined) return { error: `--retire-after ${retire}: give whole hours or never` };
  return {
    kind: 'rotate',
    target,
    choices: {
      ...(values.tenant === undefined ? {} : { tenantId: values.tenant }),
      ...(values.secret === undefined ? {} : { vaultSecretName: values.secret }),
      ...(values.vault === undefined ? {} : { vaultUrl: values.vault }),
      ...(lifetimeDays === undefined ? {} : { lifetimeDays }),
      ...(retireOldAfterHours === undefined ? {} : { retireOldAfterHours }),
      dryRun: values['dry-run'] ?? false,
    },
    follow: values.follow ?? false,
    ...(values['idempotency-key'] === undefined ? {} : { idempotencyKey: values['idempotency-key'] }),
  };
}

function toTarget(given: string): RotationTarget | undefined {
  if (FINDING_ID.test(given)) return { kind: 'finding', findingId: given };
  const [appId, keyId, extra] = given.split('/');
  if (!appId || extra !== undefined || keyId === '') return undefined;
  return { kind: 'app', appId, ...(keyId === undefined ? {} : { keyId }) };
}
