/** Who acted: a caller of the HTTP API (as far as it could be identified), or Vigil itself on a caller's behalf. */
export interface AuditActor {
  kind: 'caller' | 'anonymous' | 'vigil';
  appId?: string;
  objectId?: string;
  name?: string;
  tenantId?: string;
  /** How the caller was identified: a bearer token checked here, or the platform's authentication headers. */
  via?: 'bearer' | 'platform';
}

/**
 * One line of the audit trail: who, what, when, outcome. Never a token, secret or signing key: reasons
 * are codes (`expired`, `wrongAudience`), targets are ids.
 */
export interface AuditEntry {
  /** RFC 3339 UTC. */
  at: string;
  actor: AuditActor;
  /** `GET /api/rotations/{id}`, `rotation.addSecret`, … */
  action: string;
  outcome: string;
  target?: string;
  reason?: string;
  status?: number;
  rotationId?: string;
  /** A sign-in link's non-secret id (`sl-…`), never the link itself. */
  linkId?: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
}
