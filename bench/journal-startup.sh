#!/usr/bin/env bash
# Startup cost on a large journal: bulk-loads RECORDS generated records into a
# fresh journal (received_at = each record's at), then times `truce status` and
# the live console's first frame in tmux. Release build; needs python3 and tmux.
# Usage: bench/journal-startup.sh [RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
swift build -c release --product truce >/dev/null
bin=$(readlink -f .build/release/truce)
dir=$(mktemp -d)
sock="truce-bench-$$"
trap 'tmux -L "$sock" kill-session -t b 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
"$bin" status --data "$dir" >/dev/null   # creates the journal and its schema
"$bin" generate --records "$records" --sectors 1000 --seed 1 | python3 -c '
import sys, json, sqlite3, datetime
db = sqlite3.connect(sys.argv[1])
rows = []
for n, line in enumerate(sys.stdin):
    if n == 0: continue  # the scenario header: a journal has none
    at = json.loads(line)["at"]
    t = int(datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())
    rows.append((t, "bench", line.rstrip("\n")))
db.executemany("INSERT INTO records (received_at, source, line) VALUES (?, ?, ?)", rows)
db.commit()
' "$dir/journal.sqlite"
[ -n "${KEEP:-}" ] && echo "kept in $dir"
echo "journal: $(du -h "$dir/journal.sqlite" | cut -f1), $records records"
s=$(date +%s.%N); "$bin" status --data "$dir" > /dev/null; e=$(date +%s.%N)
echo "truce status: $(echo "$e - $s" | bc) s"
s=$(date +%s.%N)
tmux -L "$sock" new-session -d -s b -x 120 -y 40 "env LANG=C.UTF-8 TERM=tmux-256color $bin --data $dir; sleep 60"
until tmux -L "$sock" capture-pane -p -t b | grep -q "Incidents [0-9]"; do sleep 0.02; done
e=$(date +%s.%N)
echo "console first frame: $(echo "$e - $s" | bc) s"
