import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableGuid } from '../../local/cloud/state/credentials.js';
import { projectRoot } from '../../local/paths.js';
import { findingIdOf } from '../../shared/notifications/findingOf.js';
import { launchChromium } from '../support/chromium.js';

// The demo as `npm start` runs it, driven by an operator through the HTTP API, looked at in Debian's Chromium.
const TENANT = '7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f';
const OPS_CLI = { clientId: '0c1a0c1a-5e7d-4f10-9a2b-3c4d5e6f7a8b', secret: 'local-demo-ops-cli-secret-not-for-production' };
const stateDir = mkdtempSync(path.join(tmpdir(), 'vigil-dashboard-'));
let vigil: ChildProcess;
let browser: Browser;
let page: Page;
let api = '';
let token = '';

async function startDemo(): Promise<{ api: string; login: string }> {
  vigil = spawn(process.execPath, [path.join(projectRoot, 'dist', 'local', 'bin', 'start.js'), '--free-ports', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start:\n${output}`)), 240_000);
    vigil.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const dashboard = /Status page\s+(http:\/\/\S+)\/dashboard/.exec(output);
      const login = /Local Entra\s+(https:\/\/\S+)/.exec(output);
      if (output.includes('Vigil is running.') && dashboard && login) {
        clearTimeout(timer);
        resolve({ api: dashboard[1]!, login: login[1]! });
      }
    });
  });
}

const call = async (method: string, route: string, body?: unknown) => {
  const response = await fetch(`${api}/${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  const demo = await startDemo();
  api = demo.api;
  const tokenResponse = await fetch(`${demo.login}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: OPS_CLI.clientId,
      client_secret: OPS_CLI.secret,
      scope: 'api://vigil/.default',
    }),
  });
  token = ((await tokenResponse.json()) as { access_token: string }).access_token;

  // An operator snoozes the UiPath certificate and starts a Cerb rotation that waits out its grace period.
  const findings = (await call('GET', 'findings')).body as {
    value?: Array<{ subject: string; tenantId: string; objectId: string; keyId: string }>;
  };
  const uipath = findings.value?.find((f) => f.subject === 'UiPath Orchestrator');
  expect(uipath, JSON.stringify(findings).slice(0, 500)).toBeDefined();
  const snooze = await call(
    'POST',
    `findings/${findingIdOf(`credential|${uipath!.tenantId}|${uipath!.objectId}|${uipath!.keyId}`)}/snooze`,
    { days: 14, reason: 'Certificate renewal booked with the UiPath partner' },
  );
  expect(snooze.status, JSON.stringify(snooze.body)).toBe(201);
  const rotation = await call('POST', 'rotations', {
    tenantId: TENANT,
    appId: stableGuid(`${TENANT}/appId/Cerb Helpdesk`),
    vaultSecretName: 'cerb-client-secret',
    retireOldAfterHours: 168,
  });
  expect(rotation.status, JSON.stringify(rotation.body)).toBe(202);
  const id = String(rotation.body['id']);
  for (let i = 0; i < 60 && (await call('GET', `rotations/${id}`)).body['step'] !== 'retire'; i++)
    await new Promise((r) => setTimeout(r, 500));

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (vigil && vigil.exitCode === null) {
    const exited = new Promise((resolve) => vigil.once('exit', resolve));
    vigil.kill('SIGINT');
    await exited;
  }
  rmSync(stateDir, { recursive: true, force: true });
});

const section = (id: string) => page.locator(`section[aria-labelledby="${id}"]`);

describe('the status page in a browser', () => {
  it('shows each demo situation in its section, and the tenant it could not scan', async () => {
    const response = await page.goto(`${api}/dashboard`);
    expect(response?.status()).toBe(200);
    // Saved beside the demo's other outputs; docs/images/status-page.png, which the README shows, is a copy of it.
    await page.screenshot({ path: path.join(projectRoot, '.local-cloud', 'out', 'status-page.png'), fullPage: true });
    const health = await section('health').innerText();
    expect(health).toMatch(/Attention:.*could not be checked/);
    expect(health).toMatch(/Fabrikam Freight\s+could not check since/);
    expect(health).toContain('missing Application.Read.All');
    expect(health).not.toContain('All clear');
    const needsAction = await section('needs-action').innerText();
    expect(needsAction).toMatch(/Expired[\s\S]*Courier Connect/);
    expect(needsAction).toMatch(/30 days or less[\s\S]*Creatio CRM[\s\S]*10 days/);
    expect(needsAction).toContain('Contoso Travel SSO');
    expect(needsAction).toMatch(/uipath-shipping-mailbox[\s\S]*revoked[\s\S]*AADSTS50173/);
    expect(needsAction).toMatch(/Cerb Helpdesk\s+in flight\s+retire/);
    expect(await section('snoozed').innerText()).toMatch(/UiPath Orchestrator[\s\S]*Certificate renewal booked/);
    expect(await section('deliveries').innerText()).toMatch(/delivered[\s\S]*Messages parked in poison queues: 0/);
    expect(await page.locator('svg[role="img"] title').first().textContent()).toContain('next 90 days');
  });

  it('filters by tenant and severity through the query string, and offers the same view as CSV', async () => {
    await page.goto(`${api}/dashboard`);
    await page.selectOption('select[name="severity"]', 'critical');
    await Promise.all([page.waitForURL(/severity=critical/), page.click('button[type="submit"]')]);
    const needsAction = await section('needs-action').innerText();
    expect(needsAction).toContain('Courier Connect');
    expect(needsAction).not.toContain('Creatio CRM');
    await page.goto(`${api}/dashboard?tenant=${TENANT}`);
    expect(await section('health').innerText()).not.toContain('Fabrikam Freight');
    const csvHref = await page.locator('a', { hasText: 'Download CSV' }).getAttribute('href');
    const csv = await fetch(`${api}/dashboard${csvHref}`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(await csv.text()).toMatch(/^section,tenant,name/);
  });

  it('contains no secret value', async () => {
    const html = await (await page.goto(`${api}/dashboard`))!.text();
    for (const secret of [OPS_CLI.secret, 'local-demo-vigil-secret-not-for-production', 'local-demo-workflow-signature'])
      expect(html).not.toContain(secret);
  });

  it('lets the signed-in operator snooze and unsnooze from the page, and refuses the same form posted from another site', async () => {
    await page.goto(`${api}/dashboard`);
    const row = section('needs-action').locator('tr', { hasText: 'Creatio CRM' }).first();
    await row.locator('input[name="reason"]').fill('Renewal booked with Creatio');
    await Promise.all([page.waitForURL(/notice=snoozed/), row.getByRole('button', { name: 'Snooze 7 days' }).click()]);
    expect(await page.locator('#notice').innerText()).toMatch(/^Snoozed f-[0-9a-f]{20} until \d{4}-\d\d-\d\d/);
    expect(await section('needs-action').innerText()).not.toContain('Creatio CRM');
    const snoozed = section('snoozed').locator('tr', { hasText: 'Creatio CRM' });
    expect(await snoozed.innerText()).toContain('Renewal booked with Creatio');

    // Another site's page posting the very same form (even with a token it could not have read): refused.
    const form = await snoozed.locator('td').last().innerHTML();
    const forged = await browser.newPage();
    await forged.setContent(form.replace('action="dashboard/snooze"', `action="${api}/dashboard/snooze"`));
    const [refused] = await Promise.all([forged.waitForResponse(`${api}/dashboard/snooze`), forged.click('button')]);
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain('crossSiteForm');
    await forged.close();

    await Promise.all([page.waitForURL(/notice=unsnoozed/), snoozed.getByRole('button', { name: /End the snooze/ }).click()]);
    expect(await page.locator('#notice').innerText()).toMatch(/^Ended the snooze of f-/);
    expect(await section('needs-action').innerText()).toContain('Creatio CRM');
  });
});
