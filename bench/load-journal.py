#!/usr/bin/env python3
# Bulk-loads generated records FIRST..LAST (1 = the first record; line 0 is the
# scenario header, which a journal has none of) into a truce journal behind
# truce's back, each received at its own "at". Used by the journal benchmarks.
# Usage: load-journal.py JOURNAL.sqlite FIRST LAST GENERATED.jsonl
import sys, json, sqlite3, datetime
db = sqlite3.connect(sys.argv[1])
first, last = int(sys.argv[2]), int(sys.argv[3])
rows = []
for n, line in enumerate(open(sys.argv[4])):
    if n < first or n > last: continue
    at = json.loads(line)["at"]
    t = int(datetime.datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())
    rows.append((t, "bench", line.rstrip("\n")))
db.executemany("INSERT INTO records (received_at, source, line) VALUES (?, ?, ?)", rows)
db.commit()
