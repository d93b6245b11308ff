#!/usr/bin/env bash
# Makes Vigil's managed identity an owner of one app registration, so that Application.ReadWrite.OwnedBy
# lets Vigil rotate that app's client secrets. Vigil can rotate only the apps it owns; run this once per
# app you want rotated on demand, and --remove to take the right back.
#
# Usage: infra/scripts/add-app-owner.sh --app-id APP_ID [--principal-id OBJECT_ID] [--remove]
#   APP_ID is the application (client) id of the app registration to rotate.
#   The principal id defaults to VIGIL_IDENTITY_PRINCIPAL_ID (an output of `azd up`).
# Needs: the Azure CLI signed in as an owner of that app, or a Cloud Application Administrator or
# Application Administrator. Safe to rerun.
set -euo pipefail

fail() { echo "add-app-owner: $*" >&2; exit 1; }
is_guid() { echo "$1" | grep -Eq '^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'; }

app_id=""
principal_id="${VIGIL_IDENTITY_PRINCIPAL_ID:-}"
remove=false
while [ $# -gt 0 ]; do
  case "$1" in
    --app-id) [ $# -ge 2 ] || fail "--app-id needs a value"; app_id="$2"; shift 2 ;;
    --principal-id) [ $# -ge 2 ] || fail "--principal-id needs a value"; principal_id="$2"; shift 2 ;;
    --remove) remove=true; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) fail "unknown argument: $1 (try --help)" ;;
  esac
done

if [ -z "$principal_id" ] && command -v azd >/dev/null 2>&1; then
  principal_id="$(azd env get-value VIGIL_IDENTITY_PRINCIPAL_ID 2>/dev/null || true)"
fi
is_guid "$app_id" || fail "pass --app-id with the application (client) id of the app to rotate"
is_guid "$principal_id" || fail "no principal id: pass --principal-id, or run inside the azd environment after azd up"

graph="$(az cloud show --query endpoints.microsoftGraphResourceId -o tsv)"
graph="${graph%/}"
owners_url="$graph/v1.0/applications(appId='$app_id')/owners"
is_owner="$(az rest --method GET --url "$owners_url?\$select=id" --query "value[?id=='$principal_id'].id | [0]" -o tsv)"

if [ "$remove" = "true" ]; then
  if [ -z "$is_owner" ]; then echo "Vigil is not an owner of $app_id"; exit 0; fi
  az rest --method DELETE --url "$owners_url/$principal_id/\$ref" >/dev/null
  echo "Vigil is no longer an owner of $app_id"
elif [ -n "$is_owner" ]; then
  echo "Vigil is already an owner of $app_id"
else
  body="{\"@odata.id\":\"$graph/v1.0/directoryObjects/$principal_id\"}"
  az rest --method POST --url "$owners_url/\$ref" --headers Content-Type=application/json --body "$body" >/dev/null
  echo "Vigil is now an owner of $app_id"
fi
