#!/usr/bin/env bash
# End-to-end proof with Microsoft 365 Agents Playground, as a Teams bot developer tests locally: starts the bot in
# anonymous local mode (fresh database, the Playground user granted the analyst role, one VIP seeded), starts
# Playground against http://localhost:3978/api/messages with -c msteams, and drives Playground's web UI in headless
# Chromium (scripts/playground-smoke.mjs): welcome card, help, a click on the help card's button, vip check, and a
# pasted header block. Screenshots go to OUT (default artifacts/playground). Everything listens on loopback only.
#
#   scripts/playground-smoke.sh [OUT]
#
# needs: dotnet, node + npm (the npm registry), Chromium at /usr/bin/chromium (apt-get install -y chromium) or
# CHROMIUM_PATH. Playground and playwright-core are installed with npm into PLAYGROUND_DIR (default a temp dir).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/playground}"
bot_port="${BOT_PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
playground_version="${PLAYGROUND_VERSION:-0.2.28}"
playwright_version="${PLAYWRIGHT_CORE_VERSION:-1.65.1}"
# Playground's mock user (its aadObjectId); roles are granted to this id like to any Entra object id.
playground_user="00000000-0000-0000-0000-0000000000020"
work="$(mktemp -d /tmp/chatops-playground.XXXXXX)"
tools="${PLAYGROUND_DIR:-$work/tools}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_for() { # url what log
  for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  echo "error: $2 did not come up at $1; its log:" >&2
  tail -n 40 "$3" >&2
  exit 1
}

echo "== install Playground $playground_version and playwright-core $playwright_version into $tools"
mkdir -p "$tools"
if [ ! -x "$tools/node_modules/.bin/agentsplayground" ] || [ ! -d "$tools/node_modules/playwright-core" ]; then
  (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund \
    "@microsoft/m365agentsplayground@$playground_version" "playwright-core@$playwright_version" >/dev/null)
fi

echo "== build and start the bot (anonymous local mode) on port $bot_port"
dotnet build src/ChatOpsBot -c Release -v quiet -nologo >/dev/null
ConnectionStrings__ChatOps="Data Source=$work/chatops.db" \
Urls="http://localhost:$bot_port" \
Security__Analysts__0="$playground_user" \
Vips__0__DisplayName="Jane Doe" \
Vips__0__Email="jane.doe@contoso.example" \
  dotnet src/ChatOpsBot/bin/Release/net10.0/ChatOpsBot.dll --contentRoot "$PWD/src/ChatOpsBot" > "$work/bot.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$bot_port/healthz" "the bot" "$work/bot.log"
grep -q "ANONYMOUS LOCAL MODE" "$work/bot.log" || { echo "error: the bot did not announce anonymous local mode" >&2; exit 1; }

echo "== start Playground on port $playground_port"
# From the work folder: Playground writes devTools/ into its current directory.
(cd "$work" && exec "$tools/node_modules/.bin/agentsplayground" -e "http://localhost:$bot_port/api/messages" -c msteams \
  -p "$playground_port" --disable-telemetry) > "$work/playground.log" 2>&1 &
pids+=($!)
wait_for "http://localhost:$playground_port/" "Playground" "$work/playground.log"

echo "== drive Playground's web UI"
mkdir -p "$out"
rm -f "$out"/*.png
PLAYWRIGHT_CORE_DIR="$tools/node_modules/playwright-core" node scripts/playground-smoke.mjs "http://localhost:$playground_port" "$out" \
  || { echo "bot log: $work/bot.log; Playground log: $work/playground.log" >&2; exit 1; }
cp "$work/bot.log" "$out/bot.log"
echo "screenshots and the bot's log are in $out"
