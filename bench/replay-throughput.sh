#!/usr/bin/env bash
# End-to-end throughput of the headless engine, as the engine issue measures it:
#   truce generate --records N --sectors S --seed 1 | truce replay - --json
# Prints records/s and the peak memory of each side. Release build. The events are
# counted on the pipe (wc -l), not written to disk, so the figure is truce's own.
# Usage: bench/replay-throughput.sh [RECORDS] [SECTORS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
sectors=${2:-1000}
runs=${3:-3}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
swift build -c release --product truce >/dev/null
bin=.build/release/truce
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "truce replay throughput: $records records, $sectors sectors, $runs runs ($(nproc) cores)"
best=""
for run in $(seq "$runs"); do
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/gen.mem" "$bin" generate --records "$records" --sectors "$sectors" --seed 1 \
    | /usr/bin/time -f "%M" -o "$out/replay.mem" "$bin" replay - --json | wc -l > "$out/events"
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  rate=$(echo "$records / $secs" | bc)
  events=$(cat "$out/events")
  printf 'run %d: %.2f s  %s records/s  %s events  peak replay %s MiB  peak generate %s MiB\n' \
    "$run" "$secs" "$rate" "$events" "$(( $(cat "$out/replay.mem") / 1024 ))" "$(( $(cat "$out/gen.mem") / 1024 ))"
  if [ -z "$best" ] || [ "$rate" -gt "$best" ]; then best=$rate; fi
done
echo "best: $best records/s end to end"
