#!/usr/bin/env bash
# Grants Vigil's managed identity its Microsoft Graph application permissions (app roles), the same
# grants infra/graph/graphPermissions.bicep makes, for deployers who use the Azure CLI instead:
#   Application.Read.All           scan app registrations and service principals for expiring credentials
#   Application.ReadWrite.OwnedBy  rotate secrets of the apps Vigil owns (leave out with --no-rotation)
#   AuditLog.Read.All              read Entra's credential usage report (last sign-in of each secret/certificate)
#   Policy.Read.All                read app management policies (Graph has no narrower application permission)
# Mail.Send is not granted here on purpose: docs/deploy.md, section "Mail" scopes it to one mailbox with
# Exchange Online RBAC for Applications, and a tenant-wide grant in Entra ID would void that scope.
#
# Usage: infra/scripts/grant-graph-permissions.sh [--principal-id OBJECT_ID] [--no-rotation] [--dry-run]
#   The principal id defaults to VIGIL_IDENTITY_PRINCIPAL_ID (an output of `azd up`).
# Needs: the Azure CLI signed in (az login) as someone who may grant app roles: Privileged Role
# Administrator or Global Administrator. Safe to rerun: existing grants are left as they are.
# Works with bash 3.2 (macOS) and later; national clouds follow `az cloud set`.
set -euo pipefail

GRAPH_APP_ID=00000003-0000-0000-c000-000000000000
MAIL_SEND_ROLE_ID=b633e1c5-b582-4048-a93e-9f11b44c7e96

# App role ids from https://learn.microsoft.com/graph/permissions-reference. They are also looked up by
# name in the tenant below, and the script stops if the two disagree.
expected_role_id() {
  case "$1" in
    Application.Read.All) echo 9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30 ;;
    Application.ReadWrite.OwnedBy) echo 18a4783c-866b-4cc7-a460-3d5e5662c884 ;;
    AuditLog.Read.All) echo b0afded3-3588-46d8-8b3d-9842eff778da ;;
    Policy.Read.All) echo 246dd0d5-5bd0-4def-940b-0421030a5b68 ;;
    *) return 1 ;;
  esac
}

fail() { echo "grant-graph-permissions: $*" >&2; exit 1; }

principal_id="${VIGIL_IDENTITY_PRINCIPAL_ID:-}"
rotation="${VIGIL_ENABLE_ROTATION:-true}"
dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --principal-id) [ $# -ge 2 ] || fail "--principal-id needs a value"; principal_id="$2"; shift 2 ;;
    --no-rotation) rotation=false; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) fail "unknown argument: $1 (try --help)" ;;
  esac
done

if [ -z "$principal_id" ] && command -v azd >/dev/null 2>&1; then
  principal_id="$(azd env get-value VIGIL_IDENTITY_PRINCIPAL_ID 2>/dev/null || true)"
fi
echo "$principal_id" | grep -Eq '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$' \
  || fail "no principal id: pass --principal-id, or run inside the azd environment after azd up"

permissions="Application.Read.All AuditLog.Read.All Policy.Read.All"
[ "$rotation" = "true" ] && permissions="$permissions Application.ReadWrite.OwnedBy"

graph="$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)"
graph="${graph%/}"
graph_sp_id="$(az ad sp show --id "$GRAPH_APP_ID" --query id -o tsv)"
[ -n "$graph_sp_id" ] || fail "Microsoft Graph's service principal was not found in this tenant"
assignments_url="$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments"

existing_assignment() {
  az rest --method GET --url "$assignments_url" \
    --query "value[?appRoleId=='$1' && resourceId=='$graph_sp_id'].id | [0]" -o tsv
}

for permission in $permissions; do
  expected="$(expected_role_id "$permission")"
  actual="$(az ad sp show --id "$GRAPH_APP_ID" \
    --query "appRoles[?value=='$permission' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)"
  [ "$actual" = "$expected" ] || fail "$permission has app role id '$actual' in this tenant, expected $expected; not granting"
  if [ -n "$(existing_assignment "$expected")" ]; then
    echo "$permission: already granted"
    continue
  fi
  body="{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$expected\"}"
  if [ "$dry_run" = "true" ]; then
    echo "$permission: would run: az rest --method POST --url $assignments_url --body $body"
  else
    az rest --method POST --url "$assignments_url" --headers Content-Type=application/json --body "$body" >/dev/null
    echo "$permission: granted"
  fi
done

if [ -n "$(existing_assignment "$MAIL_SEND_ROLE_ID")" ]; then
  echo "WARNING: Vigil's identity holds Mail.Send for every mailbox in the tenant. Exchange Online RBAC for" >&2
  echo "Applications adds to that grant, so the mailbox scope in docs/deploy.md has no effect until you remove it:" >&2
  echo "  az rest --method DELETE --url $assignments_url/<assignment id>" >&2
fi
