#!/usr/bin/env bash
# Durable ingest throughput: `truce generate --records N` into a file, then
# `truce ingest` of it into a fresh journal (batched transactions, every line
# keyed), and the same file again (every line already stored: nothing new).
# Prints wall and CPU time and records/s of each, and the fsyncs of the first.
# Release build, or TRUCE=/path/to/truce to measure another binary beside it.
# Usage: bench/ingest.sh [RECORDS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-200000}
runs=${2:-3}
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
if [ -z "${TRUCE:-}" ]; then swift build -c release --product truce >/dev/null; fi
bin=$(readlink -f "${TRUCE:-.build/release/truce}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" generate --records "$records" --sectors 1000 --seed 1 > "$work/in.jsonl"
echo "truce ingest: $records generated records ($(du -h "$work/in.jsonl" | cut -f1)), $runs runs ($(nproc) cores)"
row() {  # label, dir: one timed ingest
    local label=$1 dir=$2
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$bin" ingest --data "$dir" "$work/in.jsonl" >/dev/null 2>"$work/err"
    read -r wall user sys mem < "$work/t"
    printf '%-8s %6.2f s wall %6.2f s CPU  %8.0f records/s wall  %8.0f records/s CPU  peak %d MiB  (%s)\n' \
        "$label" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$records / $wall" | bc -l)" \
        "$(echo "$records / ($user + $sys)" | bc -l)" $((mem / 1024)) "$(grep -o 'stored.*' "$work/err")"
}
for run in $(seq "$runs"); do
    dir="$work/j$run"
    row "run $run" "$dir"
    row "again" "$dir"
done
if command -v strace >/dev/null; then
    strace -f -c -e trace=fdatasync,fsync -o "$work/s" "$bin" ingest --data "$work/js" "$work/in.jsonl" >/dev/null 2>&1 || true
    echo "fsyncs in one ingest: $(awk '/fdatasync|fsync/ {n += $4} END {print n + 0}' "$work/s")"
fi
