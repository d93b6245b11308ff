import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';

/** Claims the emulated resources read from a bearer token. */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  tid: string;
  appid: string;
  oid: string;
  sub: string;
  roles: string[];
  scp?: string;
  upn?: string;
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: AccessTokenClaims }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalidSignature' | 'expired' | 'wrongAudience' };

export interface TokenRequestClaims {
  issuer: string;
  tenantId: string;
  appId: string;
  audience: string;
  objectId: string;
  roles?: string[];
  scp?: string;
  upn?: string;
  lifetimeSeconds?: number;
}

/**
 * Signs access tokens as the local Entra and checks them for the emulated resources, with one RSA key
 * published in every tenant's JWKS. The key is kept in a file so tokens survive a restart.
 */
export class AccessTokens {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {}

  static async create(keyFile?: string): Promise<AccessTokens> {
    if (keyFile && existsSync(keyFile)) {
      const saved = JSON.parse(readFileSync(keyFile, 'utf8')) as { private: JWK; public: JWK };
      return new AccessTokens((await importJWK(saved.private, 'RS256')) as CryptoKey, saved.public);
    }
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = randomUUID().replace(/-/g, '');
    const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', kty: 'RSA' };
    if (keyFile) {
      await mkdir(path.dirname(keyFile), { recursive: true });
      await writeFile(keyFile, JSON.stringify({ private: { ...(await exportJWK(privateKey)), kid }, public: publicJwk }), { mode: 0o600 });
    }
    return new AccessTokens(privateKey, publicJwk);
  }

  jwks(): { keys: JWK[] } {
    return { keys: [this.publicJwk] };
  }

  async issue(request: TokenRequestClaims): Promise<{ token: string; expiresIn: number }> {
    const expiresIn = request.lifetimeSeconds ?? 3599;
    const payload: JWTPayload & Record<string, unknown> = {
      tid: request.tenantId,
      appid: request.appId,
      azp: request.appId,
      oid: request.objectId,
      ver: '2.0',
    };
    if (request.roles && request.roles.length > 0) payload['roles'] = request.roles;
    if (request.scp) payload['scp'] = request.scp;
    if (request.upn) payload['upn'] = request.upn;
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.publicJwk.kid ?? '' })
      .setIssuer(request.issuer)
      .setAudience(request.audience)
      .setSubject(request.objectId)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime(`${expiresIn}s`)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiresIn };
  }

  /**
   * An OpenID Connect ID token as the v2 endpoint issues it: `aud` is the client id, and `nonce`,
   * `preferred_username`, `oid` and `tid` name the user who signed in (id-token-claims-reference).
   */
  async issueIdToken(claims: {
    issuer: string;
    clientId: string;
    tenantId: string;
    objectId: string;
    name: string;
    preferredUsername: string;
    nonce: string | undefined;
  }): Promise<string> {
    const payload: JWTPayload & Record<string, unknown> = {
      tid: claims.tenantId,
      oid: claims.objectId,
      name: claims.name,
      preferred_username: claims.preferredUsername,
      ver: '2.0',
      ...(claims.nonce ? { nonce: claims.nonce } : {}),
    };
    // `sub` is pairwise in Entra: one user has a different subject per app.
    const sub = createHash('sha256').update(`${claims.objectId}|${claims.clientId}`).digest('base64url').slice(0, 43);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.publicJwk.kid ?? '' })
      .setIssuer(claims.issuer)
      .setAudience(claims.clientId)
      .setSubject(sub)
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('3600s')
      .sign(this.privateKey);
  }

  /** Checks an `Authorization` header. Expiry is checked against real time: SDK token caches use real time too. */
  async check(authorization: string | undefined, audience: string): Promise<TokenCheck> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: authorization ? 'malformed' : 'missing' };
    try {
      const { payload } = await jwtVerify(match[1]!, this.publicJwkKey(), { algorithms: ['RS256'] });
      const claims = toClaims(payload);
      if (!claims) return { ok: false, reason: 'malformed' };
      if (claims.aud !== audience) return { ok: false, reason: 'wrongAudience' };
      return { ok: true, claims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, reason: 'invalidSignature' };
      return { ok: false, reason: 'malformed' };
    }
  }

  /** Imported once: every emulated Key Vault and Graph request checks a token with it. */
  private publicKey: Promise<CryptoKey> | undefined;

  private publicJwkKey(): () => Promise<CryptoKey> {
    return () => (this.publicKey ??= importJWK(this.publicJwk, 'RS256') as Promise<CryptoKey>);
  }
}

function toClaims(payload: JWTPayload): AccessTokenClaims | undefined {
  const p = payload as Record<string, unknown>;
  const aud: unknown = Array.isArray(p['aud']) ? (p['aud'] as unknown[])[0] : p['aud'];
  if (typeof aud !== 'string' || typeof p['tid'] !== 'string' || typeof p['appid'] !== 'string' || typeof p['oid'] !== 'string')
    return undefined;
  const claims: AccessTokenClaims = {
    aud,
    iss: String(p['iss']),
    tid: p['tid'],
    appid: p['appid'],
    oid: p['oid'],
    sub: String(p['sub']),
    roles: Array.isArray(p['roles']) ? p['roles'].map(String) : [],
    exp: Number(p['exp']),
  };
  if (typeof p['scp'] === 'string') claims.scp = p['scp'];
  if (typeof p['upn'] === 'string') claims.upn = p['upn'];
  return claims;
}
