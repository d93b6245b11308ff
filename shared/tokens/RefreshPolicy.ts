import { Duration } from 'luxon';
import type { Settings } from '../settings/settingsSchema.js';

/** The token keeper's thresholds, as named durations (from settings). */
export interface RefreshPolicy {
  /** Longest time between two probes of a healthy connection (so a revocation is found within it). */
  probeInterval: Duration;
  /** Write the rotated token back only when the stored version is at least this old. */
  writeBackAge: Duration;
  /** How long a refresh may hold a connection's lease before another worker may take it over. */
  leaseDuration: Duration;
  /** A transient failure alerts only after this many consecutive failed attempts… */
  transientAlertAttempts: number;
  /** …spanning at least this long. */
  transientAlertSpan: Duration;
}

export function toRefreshPolicy(settings: Settings): RefreshPolicy {
  return {
    probeInterval: Duration.fromObject({ hours: settings.VIGIL_REFRESH_PROBE_HOURS }),
    writeBackAge: Duration.fromObject({ days: settings.VIGIL_REFRESH_WRITE_BACK_DAYS }),
    leaseDuration: Duration.fromObject({ seconds: settings.VIGIL_REFRESH_LEASE_SECONDS }),
    transientAlertAttempts: settings.VIGIL_TRANSIENT_ALERT_ATTEMPTS,
    transientAlertSpan: Duration.fromObject({ hours: settings.VIGIL_TRANSIENT_ALERT_HOURS }),
  };
}

/** Entra's inactivity window for a refresh token that is not a SPA's (protocol-facts §2 "Lifetime"). */
export const REFRESH_TOKEN_INACTIVITY = Duration.fromObject({ days: 90 });
