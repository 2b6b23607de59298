#!/usr/bin/env bash
# Review mode's steps on a large journal: how long the console's session
# takes to answer each review key ([ ] { } @), reading the journal's past
# from its snapshot and the records after it. Bulk-loads RECORDS generated
# records (received at their own times) in ten parts, letting truce save a
# snapshot after each (an `ingest` of nothing replays what is new), loads TAIL
# more behind it (as a journal that has run on since its last snapshot), then
# steps from the newest record, and far back. Release build; needs python3.
# Usage: bench/review-steps.sh [RECORDS] [TAIL] [DEMO-RECORDS]
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
tail_records=${2:-10000}
swift build -c release --product truce >/dev/null
swift build -c release --product truce-bench >/dev/null
bin=$(readlink -f .build/release/truce)
dir=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
"$bin" ingest --data "$dir" /dev/null 2>/dev/null   # creates the journal and its schema
"$bin" generate --records "$((records + tail_records))" --sectors 1000 --seed 1 > "$dir/all.jsonl"
# In ten parts, truce replaying each (from the last snapshot) and saving the
# next, as a journal written through truce saves them as it grows.
for part in $(seq 1 10); do
    python3 bench/load-journal.py "$dir/journal.sqlite" $(( (part - 1) * records / 10 + 1 )) $(( part * records / 10 )) "$dir/all.jsonl"
    "$bin" ingest --data "$dir" /dev/null 2>/dev/null
done
python3 bench/load-journal.py "$dir/journal.sqlite" "$((records + 1))" "$((records + tail_records))" "$dir/all.jsonl"
echo "journal: $(du -h "$dir/journal.sqlite" | cut -f1), $((records + tail_records)) records;" \
     "snapshots: $(sqlite3 "$dir/journal.sqlite" "SELECT group_concat(seq, ', ') FROM snapshots")"
[ -n "${KEEP:-}" ] && echo "kept in $dir"
.build/release/truce-bench review "$dir"
# A demo of a generated scenario of DEMO records (100,000 unless given): the
# demo plays its own records again for each step.
demo=${3:-100000}
"$bin" generate --records "$demo" --sectors 1000 --seed 2 > "$dir/demo.jsonl"
echo
.build/release/truce-bench review-demo "$dir/demo.jsonl"
