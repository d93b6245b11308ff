import type { EmulatorContext } from '../EmulatorContext.js';
import type { CloudName } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';

/** A failure before it is dressed in Entra's error body (see entraError). */
export interface EntraFailureSpec {
  status?: 400 | 401;
  error: string;
  code: number;
  description: string;
  suberror?: string;
}

/** One parsed token request, with what every grant handler needs. */
export interface TokenRequest {
  ctx: EmulatorContext;
  cloud: CloudName;
  tenant: TenantDirectory;
  /** Issuer for tokens of this tenant in this cloud: `{authority}/{tenant}/v2.0`. */
  issuer: string;
  form: URLSearchParams;
  /** This token endpoint's URLs, by tenant id and as called: what a client assertion's `aud` may be. */
  tokenEndpoints: readonly string[];
}

export type TokenResponse = Record<string, string | number>;

export function isFailure(value: object): value is EntraFailureSpec {
  return 'code' in value && 'error' in value;
}
