#!/usr/bin/env bash
# A 30-day accelerated soak of the console: 200 incidents left unacknowledged
# (a reminder each per 15 minutes, ~576,000 in all), the demo at x86400 so a
# simulated day passes each second. Prints the console's resident memory
# every few simulated days: it must stay flat (memory follows the records,
# not the time they cover).
# Usage: bench/soak.sh [DAYS] [INCIDENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
days=${1:-30}
n=${2:-200}
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }
swift build -c release --product truce >/dev/null
bin=$(readlink -f .build/release/truce)
out=$(mktemp -d)
sock="truce-soak-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$out"' EXIT
{
  echo '{"type":"scenario","title":"soak","start":"2026-03-01T00:00:00Z","speed":86400}'
  for i in $(seq 1 "$n"); do
    echo "{\"type\":\"report\",\"id\":\"R-$i\",\"sector\":\"Sector $i\",\"status\":\"confirmed\",\"at\":\"+${i}s\"}"
  done
  echo "{\"type\":\"narrate\",\"text\":\"end of the soak\",\"at\":\"+${days}d\"}"
} > "$out/soak.jsonl"
tmux -L "$sock" new-session -d -s s -x 120 -y 40 "env LANG=C.UTF-8 TERM=tmux-256color $bin demo $out/soak.jsonl --speed 86400"
sleep 0.5
pid=$(pgrep -f "^$bin demo $out/soak.jsonl" | head -1)
echo "console soak: $n unacknowledged incidents, ${days} simulated days at x86400 (release build)"
printf '%8s %10s %s\n' "real s" "RSS MiB" "board clock"
for s in $(seq 0 3 $((days + 3))); do
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
  clock=$(tmux -L "$sock" capture-pane -p -t s | head -1 | grep -o '20[0-9-]* [0-9:]*Z' || true)
  printf '%8s %10s %s\n' "$s" "$rss" "$clock"
  sleep 3
done
