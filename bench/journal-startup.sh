#!/usr/bin/env bash
# Startup cost on a large journal: bulk-loads RECORDS generated records into a
# fresh journal (received_at = each record's at), then times `truce status`,
# `truce report`, `truce act`, `truce log --since` and the live console's first
# frame and resident memory in tmux. The first writer replays every record and saves a snapshot
# (reading commands never write, not even the snapshot cache); the runs after
# it start from that snapshot. Release build; needs python3 and tmux.
# TAIL more records are then loaded behind truce's back and one `report`
# replays them after the snapshot: the worst case between two snapshots.
# Usage: bench/journal-startup.sh [RECORDS] [TAIL]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
swift build -c release --product truce >/dev/null
bin=$(readlink -f .build/release/truce)
dir=$(mktemp -d)
sock="truce-bench-$$"
trap 'tmux -L "$sock" kill-session -t b 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
"$bin" ingest --data "$dir" /dev/null 2>/dev/null   # creates the journal and its schema
tail_records=${2:-10000}
"$bin" generate --records "$((records + tail_records))" --sectors 1000 --seed 1 > "$dir/all.jsonl"
load() {  # FIRST LAST: bulk-loads generated lines FIRST..LAST (1 = the first record) behind truce's back
    python3 bench/load-journal.py "$dir/journal.sqlite" "$1" "$2" "$dir/all.jsonl"
}
load 1 "$records"
[ -n "${KEEP:-}" ] && echo "kept in $dir"
echo "journal: $(du -h "$dir/journal.sqlite" | cut -f1), $records records"
timed() {  # label, command...: prints the wall time of one run
    local label=$1; shift
    local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
    printf '%-42s %6.3f s\n' "$label" "$(echo "$e - $s" | bc)"
}
timed "truce status (no snapshot yet: full replay)" "$bin" status --data "$dir"
timed "truce ingest /dev/null (full replay, saves one)" "$bin" ingest --data "$dir" /dev/null
echo "snapshots: $(sqlite3 "$dir/journal.sqlite" "SELECT group_concat(seq || ' (' || (length(state) / 1048576) || ' MiB)', ', ') FROM snapshots")"
for n in 1 2 3; do timed "truce status (from the snapshot) #$n" "$bin" status --data "$dir"; done
# The worst case between two snapshots: TAIL more generated records (loaded
# behind truce's back, before any record of ours, so they continue the
# scenario), then one report replays them all (and saves the next snapshot).
load "$((records + 1))" "$((records + tail_records))"
timed "truce report, $tail_records records after the snapshot" "$bin" report --data "$dir" --sector "Bench tail" --status reported
for n in 1 2 3; do timed "truce report #$n" "$bin" report --data "$dir" --sector "Bench $n" --status reported; done
timed "truce act note INC-0001" "$bin" act note INC-0001 --data "$dir" --note bench
last=$(sqlite3 "$dir/journal.sqlite" "SELECT received_at FROM records ORDER BY seq DESC LIMIT 1 OFFSET 1000")
since=$(date -u -d "@$last" +%Y-%m-%dT%H:%M:%SZ)
timed "truce log --since (last ~1000 records)" "$bin" log --data "$dir" --since "$since"
echo "  (its output: $("$bin" log --data "$dir" --since "$since" | wc -l) events, mostly reminders of incidents left open until now)"
s=$(date +%s.%N)
tmux -L "$sock" new-session -d -s b -x 120 -y 40 "env LANG=C.UTF-8 TERM=tmux-256color $bin --data $dir; sleep 60"
until tmux -L "$sock" capture-pane -p -t b | grep -q "Incidents [0-9]"; do sleep 0.02; done
e=$(date +%s.%N)
printf '%-42s %6.3f s\n' "console first frame" "$(echo "$e - $s" | bc)"
sleep 2
pid=$(pgrep -f "^$bin --data $dir" | head -1 || true)
if [ -n "$pid" ]; then
  printf '%-42s %6d MiB (peak %d MiB)\n' "console RSS" "$(( $(awk '/VmRSS/{print $2}' /proc/"$pid"/status) / 1024 ))" \
    "$(( $(awk '/VmHWM/{print $2}' /proc/"$pid"/status) / 1024 ))"
fi
