#!/usr/bin/env bash
# Acknowledgement latency of POST /api/messages under a fixed request rate (issue 4: p99 under 20 ms at 500 req/s).
# Starts, in one process, the fake Bot Framework OpenID server, a Kestrel host on 127.0.0.1 with the real
# AddBotFramework/MapBotFramework and a no-op bot, and an open-loop load generator sending signed activities (each a
# new id, so every request is authenticated, parsed, de-duplicated and runs a turn). Loopback only; bounded in time.
#
#   scripts/bot-ack-latency.sh [RATE=500] [SECONDS=10]
#
# Measure on a quiet machine: other builds or test runs on the same cores make the tail meaningless.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build tests/ChatOpsBot.Benchmarks -c Release --nologo -v quiet
exec dotnet run -c Release --no-build --project tests/ChatOpsBot.Benchmarks -- ack-latency "${1:-500}" "${2:-10}"
