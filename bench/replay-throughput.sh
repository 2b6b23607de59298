#!/usr/bin/env bash
# End-to-end throughput of the headless engine, as the engine issue measures it:
#   truce generate --records N --sectors S --seed 1 | truce replay - --json
# Prints records/s and the peak memory of each side. Release build. The events are
# counted on the pipe (wc -l), not written to disk, so the figure is truce's own.
# Then replay alone from a file: its CPU time (user + system) and records/s of it.
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
# The issue's figure: replay's own CPU time (user + system) reading the same
# records from a file, output to /dev/null, with its peak memory.
"$bin" generate --records "$records" --sectors "$sectors" --seed 1 > "$out/in.jsonl"
for run in $(seq "$runs"); do
  /usr/bin/time -f "%U %S %M" -o "$out/t" "$bin" replay "$out/in.jsonl" --json > /dev/null
  read -r user sys mem < "$out/t"
  cpu=$(echo "$user + $sys" | bc)
  printf 'replay of the file, run %d: %.2f s CPU  %s records/s of CPU  peak %s MiB\n' \
    "$run" "$cpu" "$(echo "$records / $cpu" | bc)" "$((mem / 1024))"
done
