#!/usr/bin/env bash
# Measures `chatops analyze-logs` against the seed program (shared/tools/seed000/process.py), whole process against
# whole process on the same generated file: wall time and peak memory (max RSS) from /usr/bin/time, runs interleaved
# so that both see the same machine load. See docs/analyze-logs.md ("Performance") for how to read the output.
#
# usage: scripts/analyze-logs-perf.sh [ENTRIES=1000000] [RUNS=7] [WORKDIR=/tmp/analyze-logs-perf]
# needs: dotnet, python3, /usr/bin/time (apt-get install -y time); hyperfine is used too when installed.
set -euo pipefail
cd "$(dirname "$0")/.."

entries="${1:-1000000}"
runs="${2:-7}"
work="${3:-/tmp/analyze-logs-perf}"
seed="${CHATOPS_SHARED_DIR:-../shared}/tools/seed000/process.py"
mkdir -p "$work"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build"
dotnet build tests/ChatOpsBot.Benchmarks -c Release -v quiet -nologo >/dev/null
dotnet build src/ChatOpsBot.Cli -c Release -v quiet -nologo >/dev/null
# ReadyToRun: precompiled code for start-up; the analyzer's hot loop is JIT-compiled once, fully optimised, either way.
dotnet publish src/ChatOpsBot.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/chatops-r2r" -v quiet -nologo >/dev/null

file="$work/logs-$entries.json"
if [ ! -f "$file" ]; then
  dotnet run -c Release --no-build --project tests/ChatOpsBot.Benchmarks -- generate-logs "$file" "$entries"
fi
ls -l "$file"

declare -A commands=(
  [seed]="python3 $seed --json analyze-logs --log-file $file"
  [chatops-r2r]="$work/chatops-r2r/chatops --json analyze-logs --log-file $file"
  [chatops-build]="dotnet src/ChatOpsBot.Cli/bin/Release/net10.0/chatops.dll --json analyze-logs --log-file $file"
)
order=(seed chatops-r2r chatops-build)

echo "== same output"
for name in "${order[@]}"; do ${commands[$name]} > "$work/$name.json"; done
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
seed = json.load(open(f"{work}/seed.json"))
for name in ("chatops-r2r", "chatops-build"):
    ours = json.load(open(f"{work}/{name}.json"))
    same = list(ours)[:len(seed)] == list(seed) and all(json.dumps(ours[k]) == json.dumps(seed[k]) for k in seed)
    print(f"{name}: {'identical seed fields' if same else 'DIFFERENT'}")
    if not same:
        sys.exit(1)
PY

echo "== $runs interleaved runs (wall seconds, max RSS KiB)"
: > "$work/times.txt"
for i in $(seq "$runs"); do
  for name in "${order[@]}"; do
    /usr/bin/time -f "$name %e %M" -a -o "$work/times.txt" ${commands[$name]} > /dev/null
  done
done
python3 - "$work/times.txt" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, wall, rss = line.split()
    rows.setdefault(name, []).append((float(wall), int(rss)))
seed = statistics.median(w for w, _ in rows["seed"])
print(f"{'command':15} {'median s':>9} {'min s':>7} {'max RSS MiB':>12} {'seed/ours (median)':>19}")
for name, values in rows.items():
    walls = [w for w, _ in values]
    rss = max(r for _, r in values) / 1024
    print(f"{name:15} {statistics.median(walls):9.3f} {min(walls):7.3f} {rss:12.1f} {seed / statistics.median(walls):19.1f}")
PY

if command -v hyperfine >/dev/null; then
  echo "== hyperfine"
  hyperfine -N --warmup 2 --runs "$runs" "${commands[chatops-r2r]}" "${commands[chatops-build]}" "${commands[seed]}"
fi
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
