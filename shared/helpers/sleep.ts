/** Waits `ms` milliseconds: a collaborator, so tests and the core never wait for real time. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
