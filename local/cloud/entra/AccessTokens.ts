import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';

/** Verified tokens remembered: more than the clients a test or bench runs at once hold. */
const VERIFIED_KEPT = 256;

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

  /**
   * Checks an `Authorization` header. Expiry is checked against real time: SDK token caches use real time
   * too. A client sends one token on every request for an hour, so a signature is verified once per token
   * (the last VERIFIED_KEPT are kept) and only its expiry on later requests; otherwise a bench's thousands
   * of Key Vault requests spend the machine's CPU on RSA checks that the real service spends on its own.
   */
  async check(authorization: string | undefined, audience: string): Promise<TokenCheck> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, reason: authorization ? 'malformed' : 'missing' };
    const token = match[1]!;
    let payload = this.verified.get(token);
    if (payload) {
      // As jwtVerify checks it: whole seconds, no tolerance. `nbf` is the issue time, so it stays passed.
      if (typeof payload.exp === 'number' && payload.exp <= Math.floor(Date.now() / 1000)) return { ok: false, reason: 'expired' };
    } else {
      try {
        payload = (await jwtVerify(token, this.publicJwkKey(), { algorithms: ['RS256'] })).payload;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
        if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, reason: 'invalidSignature' };
        return { ok: false, reason: 'malformed' };
      }
      if (this.verified.size >= VERIFIED_KEPT) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, payload);
    }
    const claims = toClaims(payload);
    if (!claims) return { ok: false, reason: 'malformed' };
    if (claims.aud !== audience) return { ok: false, reason: 'wrongAudience' };
    return { ok: true, claims };
  }

  /** Tokens whose signature verified, oldest first. */
  private readonly verified = new Map<string, JWTPayload>();

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
