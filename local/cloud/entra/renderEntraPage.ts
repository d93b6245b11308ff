/** Pages of the local sign-in experience: Microsoft-like, server-rendered, no script, no external resources. */

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const style = `body{margin:0;font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-weight:600;color:#737373;margin-bottom:16px}h1{font-size:24px;font-weight:600;margin:0 0 12px}
label{display:block;padding:6px 0}input[type=password]{width:100%;padding:6px 0;border:0;border-bottom:1px solid #666;font-size:15px;margin:8px 0 16px}
.buttons{display:flex;gap:8px;justify-content:flex-end;margin-top:24px}button{min-width:108px;padding:6px 12px;font-size:15px;border:0;cursor:pointer}
button.primary{background:#0067b8;color:#fff}button.secondary{background:#ccc}.error{color:#e81123;margin:8px 0}
.small{font-size:13px;color:#505050}ul{padding-left:20px}`;

export function renderEntraPage(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${style}</style></head>
<body><main><div class="brand">Microsoft (local cloud)</div>${body}</main></body></html>`;
}

export function signInPage(input: {
  action: string;
  requestId: string;
  appName: string;
  users: Array<{ userPrincipalName: string; displayName: string }>;
  selected: string | undefined;
  error: string | undefined;
}): string {
  const users = input.users
    .map(
      (u) =>
        `<label><input type="radio" name="username" value="${escape(u.userPrincipalName)}"${
          u.userPrincipalName.toLowerCase() === input.selected?.toLowerCase() ? ' checked' : ''
        } required> ${escape(u.displayName)} <span class="small">${escape(u.userPrincipalName)}</span></label>`,
    )
    .join('');
  return renderEntraPage(
    'Sign in to your account',
    `<h1>Sign in</h1><p class="small">to continue to ${escape(input.appName)}</p>
${input.error ? `<p class="error" role="alert">${escape(input.error)}</p>` : ''}
<form method="post" action="${escape(input.action)}"><input type="hidden" name="request" value="${escape(input.requestId)}">
<fieldset style="border:0;padding:0"><legend class="small">Pick an account</legend>${users}</fieldset>
<label for="password">Password</label><input id="password" type="password" name="password" autocomplete="current-password">
<div class="buttons"><button class="primary" type="submit">Sign in</button></div></form>`,
  );
}

export function consentPage(input: { action: string; requestId: string; appName: string; user: string; scopes: string[] }): string {
  const scopes = input.scopes.map((s) => `<li>${escape(s)}</li>`).join('');
  return renderEntraPage(
    'Permissions requested',
    `<p class="small">${escape(input.user)}</p><h1>Permissions requested</h1>
<p>${escape(input.appName)} would like to:</p><ul>${scopes}</ul>
<p class="small">Accepting allows this app to use your data as its terms of service and privacy statement describe.</p>
<form method="post" action="${escape(input.action)}"><input type="hidden" name="request" value="${escape(input.requestId)}">
<div class="buttons"><button class="secondary" type="submit" name="decision" value="cancel">Cancel</button>
<button class="primary" type="submit" name="decision" value="accept">Accept</button></div></form>`,
  );
}

/** What Entra shows when it cannot send the user back to the app (unknown app, unregistered redirect URI, …). */
export function errorPage(code: number, message: string, correlationId: string): string {
  return renderEntraPage(
    'Sign in error',
    `<h1>Sorry, but we’re having trouble signing you in.</h1><p class="error" role="alert">AADSTS${code}: ${escape(message)}</p>
<p class="small">Correlation ID: ${escape(correlationId)}</p>`,
  );
}
