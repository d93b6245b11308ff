import type { MeasuredSplit } from './splitListenerWall.js';
import { limitFloorMs } from './scanLimits.js';

export interface ScanMeasurement {
  label: string;
  /** Which goals of issue 15 apply (scanFigures.ts). */
  kind: 'first' | 'daily' | 'delta' | 'paced' | 'tenants';
  apps: number;
  requests: number;
  minimum: number;
  /** How `minimum` was counted. */
  minimumHow: string;
  throttled: number;
  wallMs: number;
  limitFloorMs: number;
  /** The fewest requests at BENCH_LATENCY each, as soon as what each depends on has answered (scanLimits.ts tenantLatencyFloor). */
  serviceFloorMs: number;
  /** How `serviceFloorMs` was worked out, printed with it. */
  floorHow: string;
  /** RSS after start-up and a collection, before the measured work: growth is measured over it. */
  idleRssMb: number;
  peakRssMb: number;
  /**
   * Peak RSS growth of each run of the same case, where it ran more than once (memory goals): one run's peak is
   * mostly when V8 chose to collect, so the goal is judged on their median.
   */
  rssGrowthRunsMb?: number[];
  peakHeapMb: number;
  findings: number;
  /** POSTs to the token endpoint. */
  tokenRequests: number;
  /**
   * Other requests to Entra: MSAL's authority metadata (OpenID configuration), which it fetches only for a
   * host it has no built-in metadata for (the local cloud; not login.microsoftonline.com, .us or .cn).
   */
  metadataRequests: number;
  /** The fewest token requests, where the goal counts them (many tenants). */
  fewestTokenRequests?: number;
  /** CPU seconds each process spent on the measured work, where measured: is the machine the bottleneck? */
  cpuSeconds?: { vigil: number; localCloud: number; azurite: number | undefined };
  /** Largest heap still in use after a collection at each page boundary of a full read (needs --expose-gc). */
  liveHeapMb: number | undefined;
  /** Table Storage requests of every table the runtime uses, where counted (many tenants), and over how many tenants. */
  storage?: { requests: number; tenants: number; byKind: Record<string, number> };
  /** Where the wall went (many tenants): the planner, the handlers, the messages beyond them, the listener; or why not measured. */
  listener?: MeasuredSplit;
}

export interface CloudStats {
  requests: number;
  throttled: number;
  perTenant: number[];
  /** Requests to Entra since the last reset: the token endpoint's POSTs, MSAL's authority metadata GETs, any other. */
  entra: { tokenPosts: number; metadataGets: number; other: number };
  cpuSeconds: number;
  /** The most rows any tenant's usage report holds (the bench tenants record no sign-ins: none). */
  reportRows: number;
}

/**
 * A measurement from the local cloud's counts and what the run itself saw. The limits' floor is worked
 * out from the fewest requests, never from those Vigil made: a wasteful scan must not raise its own floor.
 */
export function toMeasurement(
  kind: ScanMeasurement['kind'],
  label: string,
  stats: CloudStats,
  run: {
    minimum: number;
    minimumHow: string;
    /** The fewest Graph requests of each tenant: what the limits' floor counts. */
    fewestPerTenant: number[];
    /** The fewest directory pages of each tenant: the requests that select keyCredentials. */
    directoryPages: number[];
    wallMs: number;
    floor: { ms: number; how: string };
    memory: { rssMb: number; heapMb: number };
    idle: number;
    findings: number;
    apps: number;
  },
): ScanMeasurement {
  return {
    kind,
    apps: run.apps,
    liveHeapMb: undefined,
    label,
    requests: stats.requests,
    minimum: run.minimum,
    minimumHow: run.minimumHow,
    throttled: stats.throttled,
    wallMs: run.wallMs,
    limitFloorMs: limitFloorMs(run.fewestPerTenant, run.directoryPages),
    serviceFloorMs: run.floor.ms,
    floorHow: run.floor.how,
    idleRssMb: run.idle,
    peakRssMb: run.memory.rssMb,
    peakHeapMb: run.memory.heapMb,
    findings: run.findings,
    tokenRequests: stats.entra.tokenPosts,
    metadataRequests: stats.entra.metadataGets + stats.entra.other,
  };
}

/** One run's peak RSS growth over its own idle baseline. */
export const ownGrowth = (m: ScanMeasurement): number => m.peakRssMb - m.idleRssMb;
