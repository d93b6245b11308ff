/** A token response's count of seconds (`expires_in`, `refresh_in`, `refresh_token_expires_in`; Entra has sent some as strings), if positive. */
export const positiveNumber = (value: unknown): number | undefined => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};
