import path from 'node:path';
import { DateTime } from 'luxon';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverNotificationQueue } from '../../functions/deliverNotificationQueue.js';
import { flushDigestQueue } from '../../functions/flushDigestQueue.js';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import { serveHttpFunctions } from '../../local/devhost/serveHttpFunctions.js';
import { projectRoot } from '../../local/paths.js';
import type { VigilEvent } from '../../shared/events/vigilEvent.js';
import { findingOf } from '../../shared/notifications/findingOf.js';
import { stateKey } from '../../shared/notifications/NotificationState.js';
import { refreshConnection } from '../../shared/tokens/refreshConnection.js';
import { toRefreshDeps } from '../../shared/wiring/createTokenKeeper.js';
import type { Runtime } from '../../shared/wiring/createRuntime.js';
import { launchChromium } from '../support/chromium.js';
import { startTestStack, type TestStack } from '../support/startTestStack.js';
import { TENANT, VAULT } from '../support/testScenario.js';
import { HELPDESK, IMAP, reconnectLinksInTeams, signInRoutes, signInScenario } from '../shared/signIn/signInScenario.js';
import { drainQueues } from '../support/drainQueues.js';

// A person in a real browser: from the link a revoked connection's Teams alert carried, through the local
// Entra's sign-in and consent pages, to Vigil's "works again" page.
const SMTP = 'https://outlook.office.com/SMTP.Send';
let stack: TestStack;
let runtime: Runtime;
let browser: Browser;
let closeApi: () => Promise<void>;
const out = path.join(projectRoot, '.local-cloud', 'out');

beforeAll(async () => {
  // The connection now also sends mail, which the owner has not consented to yet: the sign-in asks.
  const scenario = signInScenario();
  const secret = scenario.vaults![0]!.secrets!.find((s) => s.name === 'cerb-mailbox')!;
  secret.tags = { ...secret.tags, 'vigil-scopes': `offline_access ${IMAP} ${SMTP}` };
  stack = await startTestStack({ scenario });
  const routes = await signInRoutes(stack);
  // On the port the server listens on, which the runtime's links then name.
  const served = await serveHttpFunctions(
    functionDefinitions,
    (origin) => (runtime = stack.runtimeWith({ VIGIL_PUBLIC_BASE_URL: origin, VIGIL_ROUTES: routes })),
    () => undefined,
    0,
  );
  closeApi = served.close;
  browser = await launchChromium();
  await stack.admin(`/admin/tenants/${TENANT}/users/${HELPDESK.username}/revoke-sessions`, {});
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await closeApi?.();
  await stack?.stop();
});

const ref = () => ({ vaultUrl: stack.cloud.endpoints.vaults[VAULT]!, name: 'cerb-mailbox' });
const deliver = () => drainQueues([flushDigestQueue, deliverNotificationQueue], runtime);
const delivered = async () =>
  ((await stack.admin('/admin/webhooks')) as Array<{ body: string }>).map((w) => JSON.parse(w.body) as { type: string; data: VigilEvent });
const versions = async () => {
  const list = [];
  for await (const v of stack.secretClient(VAULT).listPropertiesOfSecretVersions('cerb-mailbox')) list.push(v);
  return list.sort((a, b) => a.createdOn!.getTime() - b.createdOn!.getTime());
};

describe('reconnecting a revoked connection in a browser', () => {
  it('goes from the alert link through sign-in and consent to a connection that works again', async () => {
    await refreshConnection(toRefreshDeps(runtime.tokenKeeper, runtime.tokenKeeper.stores[0]!), ref(), DateTime.utc());
    await deliver();
    const alert = (await delivered()).find((w) => w.type === 'vigil.token.refresh_failed')!.data;
    expect(alert.data).toMatchObject({ failureClass: 'revoked' });
    const before = (await versions()).length;

    const page = await (await browser.newContext({ ignoreHTTPSErrors: true })).newPage();
    const [card] = await reconnectLinksInTeams(stack);
    await page.goto(card!.url);
    expect(await page.locator('h1').innerText()).toBe('Reconnect cerb-mailbox');
    await page.screenshot({ path: path.join(out, 'sign-in-1-link.png'), fullPage: true });
    await page.click('button:has-text("Continue to Microsoft sign-in")');
    // The local Entra's sign-in page, with the owner picked from login_hint.
    await page.waitForSelector('input[name="password"]');
    expect(await page.isChecked(`input[value="${HELPDESK.username}"]`)).toBe(true);
    await page.fill('input[name="password"]', HELPDESK.password);
    await page.click('button:has-text("Sign in")');
    await page.waitForSelector('text=Permissions requested');
    expect(await page.locator('li').allInnerTexts()).toEqual([SMTP]);
    await page.screenshot({ path: path.join(out, 'sign-in-2-consent.png'), fullPage: true });
    await page.click('button:has-text("Accept")');
    await page.waitForSelector('text=cerb-mailbox works again');
    await page.screenshot({ path: path.join(out, 'sign-in-3-works-again.png'), fullPage: true });
    expect(await page.locator('.ok').first().innerText()).toContain('Thank you, helpdesk@contoso.onmicrosoft.com');

    // The connection is healthy, with one new version carrying its tags.
    expect((await runtime.tokenKeeper.states.get(ref()))?.status).toBe('healthy');
    const after = await versions();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.tags).toMatchObject({
      'vigil-kind': 'delegated-refresh-token',
      'vigil-owner': HELPDESK.username,
      'vigil-scopes': `offline_access ${IMAP} ${SMTP}`,
      'vigil-granted-scopes': `${IMAP} ${SMTP}`,
    });
    // The recovery notice went out, and the finding is closed.
    await deliver();
    const recovered = (await delivered()).find((w) => w.type === 'vigil.token.recovered');
    expect(recovered).toBeDefined();
    const finding = findingOf(alert);
    const { routes } = await runtime.notifications.state.load([finding.id]);
    expect(routes.get(stateKey(finding.id, 'cerb'))?.value.status).toBe('closed');
  });
});
