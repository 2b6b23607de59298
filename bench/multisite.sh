#!/usr/bin/env bash
# The shared journal on a real PostgreSQL: appends/s with 1 and 3 sites
# writing at once, and propagation latency (p50/p95) from an append at one
# site to the record in another site's mirror. Uses TRUCE_TEST_PG_URL (a
# superuser URL) or starts scripts/pg-cluster.sh's throwaway server; each run
# gets a database of its own. Release build.
# Usage: bench/multisite.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TRUCE_TEST_PG_URL:-}" ]; then
    eval "$(scripts/pg-cluster.sh start)"
    trap 'scripts/pg-cluster.sh stop' EXIT
fi
swift build -c release --product truce-bench >/dev/null
db="truce_bench_$(date +%s)_$$"
psql -qX "$TRUCE_TEST_PG_URL" -c "CREATE DATABASE $db"
url="${TRUCE_TEST_PG_URL%/*}/$db"
echo "shared journal on $(psql -qXtA "$TRUCE_TEST_PG_URL" -c 'SHOW server_version') at 127.0.0.1 ($(nproc) cores)"
.build/release/truce-bench multisite "$url"
psql -qX "$TRUCE_TEST_PG_URL" -c "DROP DATABASE $db"
