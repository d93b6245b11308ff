import type { parseArgs } from 'node:util';

/** Every option of every command, for `util.parseArgs`; parseCommand says which command takes which. */
export const options = {
  url: { type: 'string' },
  scope: { type: 'string' },
  auth: { type: 'string' },
  'function-key': { type: 'string' },
  'authority-host': { type: 'string' },
  json: { type: 'boolean' },
  interval: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  tenant: { type: 'string' },
  severity: { type: 'string', multiple: true },
  status: { type: 'string', multiple: true },
  'max-days-left': { type: 'string' },
  vault: { type: 'string' },
  secret: { type: 'string' },
  'lifetime-days': { type: 'string' },
  'retire-after': { type: 'string' },
  'idempotency-key': { type: 'string' },
  'dry-run': { type: 'boolean' },
  follow: { type: 'boolean' },
  until: { type: 'string' },
  for: { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
} as const;
export type OptionName = keyof typeof options;

export type OptionValues = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; tokens: true }>>['values'];

/** `'12'` → 12; anything but digits (and a leading minus where allowed) → undefined. */
export function wholeNumber(text: string, allowNegative = false): number | undefined {
  return (allowNegative ? /^-?\d+$/ : /^\d+$/).test(text.trim()) ? Number(text) : undefined;
}
