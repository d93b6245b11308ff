/** What `vigil --help` prints: every command, its options, and where the settings come from. */
export const usage = `Usage: vigil <command> [options]

Commands:
  findings [--tenant ID] [--severity S[,S]] [--status S[,S]] [--max-days-left N|=-N]
                                  Credential findings, most urgent first (every page)
  connections                     Token connections and what each needs next
  scan [--tenant ID]              Queue an expiry scan now (one tenant, or all)
  refresh <connection> [--vault URL]
                                  Refresh one token connection now
  rotate <appId>[/<keyId>] --tenant ID --secret NAME [--vault URL] [--lifetime-days N]
         [--retire-after HOURS|never] [--idempotency-key KEY] [--dry-run] [--follow [--interval S]]
                                  Rotate an app's client secret into a Key Vault secret
  rotate <findingId> [--secret NAME] [the options above]
                                  Rotate the client secret a finding is about (its app, tenant and
                                  Key Vault copy come from the finding)
  rotation <rotationId> [--follow [--interval S]]
                                  A rotation's progress (--follow: each step until done, every 5 s)
  snooze <findingId> (--until TIME | --for 7d|12h|2w|P10D) --reason TEXT [--by NAME]
                                  Silence a finding's notifications until then
  unsnooze <findingId>            End a snooze now (the finding is announced again)
  status                          Vigil's health, findings by severity, connections by status

Options for every command:
  --url URL              Vigil's API, e.g. https://<app>.azurewebsites.net/api  (env VIGIL_URL)
  --scope SCOPE          Vigil's API scope (env VIGIL_API_SCOPE; default api://vigil/.default)
  --auth KIND            auto (default: environment, then Azure CLI), env, cli or device-code
  --function-key KEY     The function key Azure asks for (env VIGIL_FUNCTION_KEY; not needed locally)
  --authority-host URL   Another Entra authority (env AZURE_AUTHORITY_HOST), e.g. a national cloud
  --json                 The API's objects as one JSON document (a list: every page, as one array)
  -h, --help             This text

Sign-in: --auth env reads AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (or
AZURE_CLIENT_CERTIFICATE_PATH); --auth cli uses \`az login\`; --auth device-code prints a code to enter
at Microsoft's sign-in page (AZURE_TENANT_ID and AZURE_CLIENT_ID name the tenant and public client app).

Exit codes: 0 done, 1 Vigil or sign-in refused or failed (or Vigil is degraded), 2 usage error.`;
