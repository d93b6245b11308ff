import type { StoredFlow, StoredLink } from './SignInLink.js';

/** Where sign-in links and started flows are kept (Table Storage in production). Keys are SHA-256 hashes of the secrets. */
export interface SignInStore {
  saveLink(hash: string, link: StoredLink): Promise<void>;
  readLink(hash: string): Promise<{ link: StoredLink; etag: string } | undefined>;
  /** Marks the link used if it is still as read; false when another sign-in used it first. */
  markUsed(hash: string, etag: string, usedAt: string): Promise<boolean>;
  /** Links of a connection created before this instant are retired (a sign-in through one of them completed). */
  linksValidFrom(targetKey: string): Promise<string | undefined>;
  retireLinks(targetKey: string, from: string): Promise<void>;
  saveFlow(stateHash: string, flow: StoredFlow): Promise<void>;
  /** Reads and deletes the flow in one conditional step: a state is answered once. Undefined when absent or taken. */
  takeFlow(stateHash: string): Promise<StoredFlow | undefined>;
  /**
   * Drops flows and links whose lifetime ended before `now`, a bounded number per call, and says how many.
   * Run by the refresh planner's timer, never by the anonymous sign-in request.
   */
  sweep(now: string): Promise<number>;
}
