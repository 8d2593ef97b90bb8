#!/usr/bin/env bash
# Builds the Teams app package: manifest/teams/manifest.json with the bot's app id and domain filled in, plus its icons,
# zipped flat (as Teams requires) into OUT (default: ./manifest.zip).
#
#   BOT_DOMAIN=chatops.contoso.com scripts/teams-package.sh 00000000-0000-0000-0000-000000000000 [OUT]
#
# APP_ID is the Entra application (client) id, the same value as MicrosoftAppId. BOT_DOMAIN is the host of the
# messaging endpoint (https://BOT_DOMAIN/api/messages); it becomes validDomains and the developer URLs' host.
set -euo pipefail

usage() { echo "usage: BOT_DOMAIN=host $0 APP_ID [OUT]" >&2; exit 2; }

[[ $# -ge 1 && $# -le 2 ]] || usage
app_id="$1"
out="${2:-manifest.zip}"
domain="${BOT_DOMAIN:-}"

guid='^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
if [[ ! "$app_id" =~ $guid || "$app_id" == "00000000-0000-0000-0000-000000000000" ]]; then
  echo "error: APP_ID must be the bot's Entra application (client) id, a GUID; got '$app_id'" >&2
  exit 2
fi
app_id="${app_id,,}"

hostname='^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$'
if [[ -z "$domain" || ! "$domain" =~ $hostname || ${#domain} -gt 253 ]]; then
  echo "error: set BOT_DOMAIN to the host name of the messaging endpoint, e.g. BOT_DOMAIN=chatops.contoso.com" >&2
  exit 2
fi
domain="${domain,,}"

source_dir="$(cd "$(dirname "$0")/../manifest/teams" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Both values were validated above to contain no characters special to sed or JSON.
sed -e "s/{{MICROSOFT_APP_ID}}/$app_id/g" -e "s/{{BOT_DOMAIN}}/$domain/g" "$source_dir/manifest.json" > "$work/manifest.json"
cp "$source_dir/color.png" "$source_dir/outline.png" "$work/"
if grep -q '{{' "$work/manifest.json"; then
  echo "error: manifest.json still has a placeholder: $(grep -o '{{[A-Z_]*}}' "$work/manifest.json" | head -1)" >&2
  exit 1
fi

out_dir="$(cd "$(dirname "$out")" && pwd)"
out_path="$out_dir/$(basename "$out")"
rm -f "$out_path"
if command -v zip > /dev/null; then
  (cd "$work" && zip -q -X "$out_path" manifest.json color.png outline.png)
elif command -v python3 > /dev/null; then
  (cd "$work" && python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    [z.write(name) for name in ("manifest.json", "color.png", "outline.png")]' "$out_path")
else
  echo "error: needs zip or python3 to write the package" >&2
  exit 1
fi
echo "$out_path"
