import type { Command } from './Command.js';
import { wholeNumber, type OptionValues } from './cliOptions.js';

export function toRotateCommand(target: string, values: OptionValues): Command | { error: string } {
  const [appId, keyId, extra] = target.split('/');
  if (!appId || extra !== undefined || keyId === '') return { error: `rotate ${target}: give <appId> or <appId>/<keyId>` };
  if (!values.tenant) return { error: 'rotate needs --tenant, the tenant id of the app registration (Vigil rotates in its home tenant)' };
  if (!values.secret) return { error: 'rotate needs --secret, the Key Vault secret that receives the new client secret' };
  const lifetime = values['lifetime-days'];
  const lifetimeDays = lifetime === undefined ? undefined : wholeNumber(lifetime);
  if (lifetime !== undefined && lifetimeDays === undefined) return { error: `--lifetime-days ${lifetime}: give a whole number of days` };
  const retire = values['retire-after'];
  const retireOldAfterHours = retire === undefined || retire === 'never' ? retire : wholeNumber(retire);
  if (retire !== undefined && retireOldAfterHours === undefined) return { error: `--retire-after ${retire}: give whole hours or never` };
  return {
    kind: 'rotate',
    body: {
      tenantId: values.tenant,
      appId,
      ...(keyId === undefined ? {} : { keyId }),
      vaultSecretName: values.secret,
      ...(values.vault === undefined ? {} : { vaultUrl: values.vault }),
      ...(lifetimeDays === undefined ? {} : { lifetimeDays }),
      ...(retireOldAfterHours === undefined ? {} : { retireOldAfterHours }),
      dryRun: values['dry-run'] ?? false,
    },
    follow: values.follow ?? false,
    ...(values['idempotency-key'] === undefined ? {} : { idempotencyKey: values['idempotency-key'] }),
  };
}
