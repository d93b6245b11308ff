import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRefreshCase } from '../../bench/refreshBenchReport.js';
import { startRefreshTimeline } from '../../bench/refreshTimeline.js';

describe('the refresh bench timeline', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((_request, response) => setTimeout(() => response.end('{}'), 20));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = () =>
    new Promise<void>((resolve) =>
      http.get({ host: '127.0.0.1', port, agent: false }, (response) => {
        response.resume();
        response.on('end', resolve);
      }),
    );

  it('ties each request to the message whose port call sent it, and splits a probe into its parts', async () => {
    const timeline = startRefreshTimeline((host) => (host.endsWith(`:${port}`) ? 'Key Vault' : host));
    // A port call as the bench's watchCalls reports it: its name and start, told as it settles.
    const call = async (name: string, work: () => Promise<void>) => {
      const started = performance.now();
      await work();
      timeline.settled(name, started);
    };
    const probe = timeline.handler(async () => {
      await call('Key Vault.read', get);
      await call('token endpoint.refresh', () => new Promise((resolve) => setTimeout(resolve, 5)));
      await call('Key Vault.updateTags', get);
    });
    await Promise.all([probe(), probe()]);
    timeline.plannerDone();
    const summary = timeline.stop();
    const part = (name: string) => summary.parts.find((p) => p.part === name);
    expect(summary.probes).toBe(2);
    // Each probe's token read saw its own request (two at once, never the other's), waiting on the server's 20 ms.
    expect(part("1 token read: request → answer's headers")).toMatchObject({ of: 2 });
    expect(part("1 token read: request → answer's headers")!.ms).toBeGreaterThanOrEqual(19);
    // Storage requests are a count, not a time: reported apart from the parts in ms.
    expect(summary.azuriteRequestsPerProbe).toBe(0);
    expect(part('Azurite requests per probe')).toBeUndefined();
    expect(summary.probeMs.whilePlanning.of).toBe(2);
  });

  it('is asked for with /timeline after a case', () => {
    expect(parseRefreshCase('10000/timeline')).toEqual({
      connections: 10_000,
      vaults: 1,
      steady: true,
      planOnly: false,
      withTimeline: true,
    });
    expect(parseRefreshCase('10000')).toMatchObject({ withTimeline: false });
  });
});
