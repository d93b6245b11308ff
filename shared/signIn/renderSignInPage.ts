import { dashboardStyles } from '../dashboard/dashboardStyles.js';
import { escapeHtml as e } from '../helpers/escapeHtml.js';
import { isReportedLinkRefusal, type LinkLookup } from './startSignIn.js';
import type { SignInOutcome, SignInRefusal } from './SignInOutcome.js';
import type { SignInConnection } from './resolveTarget.js';
import { refusalWords } from './toSignInEvents.js';

/** Headers of every sign-in page: no script, nothing external, never cached, never framed, no referrer (the URL is a capability). */
export const signInPageHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' https:; frame-ancestors 'none'",
} as const;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${e(title)} — Vigil</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<style>${dashboardStyles}main{max-width:720px}dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
button{font-size:1rem;padding:.5rem 1.25rem;background:#14324f;color:#fff;border:0;cursor:pointer}</style></head>
<body><header><h1>${e(title)}</h1><div>Vigil keeps Microsoft 365 connections alive</div></header><main>${body}</main></body></html>`;
}

function describe(c: SignInConnection): string {
  return `<dl><dt>Connection</dt><dd>${e(c.name)}</dd>
<dt>Used by</dt><dd>${e(c.downstream ?? 'not named (vigil-downstream)')}</dd>
<dt>Sign in as</dt><dd>${e(c.owner)}</dd>
<dt>Tenant</dt><dd>${e(c.tenant)}</dd>
<dt>Permissions</dt><dd>${e(c.scopes.join(' '))}</dd></dl>`;
}

/** The landing page of a link (GET): what signing in will do, and a button that starts it (POST, so link scanners cannot). */
export function renderLinkPage(found: LinkLookup, action: string): { status: number; body: string } {
  // Only an expired link is reported when opened; a used or retired one is not (the connection was signed in since).
  if (found.kind === 'refused')
    return refusalPage(found.reason, found.detail, found.connection, found.linkId, { told: isReportedLinkRefusal(found) });
  const c = found.connection;
  const verb = c.mode === 'connect' ? 'Connect' : 'Reconnect';
  return {
    status: 200,
    body: page(
      `${verb} ${c.name}`,
      `<p>${e(c.downstream ?? 'An application')} reads Microsoft 365 on behalf of <strong>${e(c.owner)}</strong>. ${
        c.mode === 'connect' ? 'To connect it' : 'Its sign-in stopped working; to reconnect it'
      }, sign in with that account and accept the permissions. Vigil stores the new token in Key Vault; nobody copies it by hand.</p>
${describe(c)}
<form method="post" action="${e(action)}"><button type="submit">Continue to Microsoft sign-in</button></form>
<p class="empty">This link works once, until ${e(found.expiresAt)}. Signing in as anyone other than ${e(c.owner)} is refused.</p>`,
    ),
  };
}

/** The page the owner lands on after Microsoft sent them back: it works again, or what went wrong and who can help. */
export function renderOutcomePage(outcome: SignInOutcome): { status: number; body: string } {
  if (outcome.kind === 'refused')
    // Every refusal at the callback with a connection is published (finishSignIn, toSignInEvents).
    return refusalPage(outcome.reason, outcome.detail, outcome.connection, outcome.linkId, {
      told: outcome.connection !== undefined,
      user: outcome.user?.username,
      code: outcome.code,
    });
  const c = outcome.connection;
  const check =
    outcome.probe.kind === 'healthy'
      ? `<p class="ok">Vigil refreshed the new token once to check it: it works.</p>`
      : outcome.probe.kind === 'failing'
        ? `<p class="warning">The token was stored, but Vigil's first refresh with it failed (${e(outcome.probe.failureClass)}, ${e(outcome.probe.code)}): ${e(outcome.probe.whoMustAct)}.</p>`
        : `<p class="warning">The token was stored; Vigil checks it on its next run (${e(outcome.probe.reason)}).</p>`;
  return {
    status: 200,
    body: page(
      outcome.probe.kind === 'healthy' ? `${c.name} works again` : `${c.name} was stored`,
      `<p class="${outcome.probe.kind === 'healthy' ? 'ok' : 'warning'}">Thank you, ${e(outcome.user.username ?? c.owner)}. ${e(
        c.downstream ?? 'The application',
      )} has a new token for Microsoft 365, kept in Key Vault and refreshed by Vigil from now on.</p>
${check}${describe(c)}
<p>You can close this page. If ${e(c.downstream ?? 'the application')} still reports a sign-in problem in an hour, tell ${e(
        c.team ?? 'your IT operations team',
      )} and quote the connection name above.</p>`,
    ),
  };
}

function refusalPage(
  reason: SignInRefusal,
  detail: string,
  connection: SignInConnection | undefined,
  linkId: string | undefined,
  { told, user, code }: { told: boolean; user?: string | undefined; code?: string | undefined },
): { status: number; body: string } {
  const words = connection ? refusalWords[reason] : undefined;
  const what = words && connection ? words.what(user, connection) : (genericWhat[reason] ?? 'this sign-in cannot be completed');
  const help = words && connection ? words.fix(connection) : 'Ask the person who sent you the link for a new one.';
  const team = connection?.team ?? 'Your IT operations team';
  const helpWho = !connection
    ? ''
    : told
      ? `${team} has been told.`
      : reason === 'used' || reason === 'retired'
        ? 'Nothing was sent: the connection was signed in since this link was made.'
        : '';
  return {
    status: statusOf[reason] ?? 400,
    body: page(
      'Nothing was stored',
      `<p class="attention"><strong>Refused: ${e(what)}.</strong> ${e(detail)}${code ? ` (code ${e(code)})` : ''}</p>
<p>What to do: ${e(help)}</p><p>${e(helpWho)}</p>${connection ? describe(connection) : ''}
<p class="empty">${linkId ? `Link ${e(linkId)}. ` : ''}No token or password was kept.</p>`,
    ),
  };
}

const genericWhat: Partial<Record<SignInRefusal, string>> = {
  unknown: 'this link is not valid: it was never issued, or it was changed',
  expired: 'this link has expired',
  used: 'this link was already used',
  retired: 'a newer sign-in for this connection already completed, which retired this link',
  unknownState: 'this sign-in answer does not belong to a sign-in Vigil started, or it was already used',
};

const statusOf: Partial<Record<SignInRefusal, number>> = {
  unknown: 404,
  expired: 410,
  used: 410,
  retired: 410,
  wrongUser: 403,
  vigilFault: 500,
};
