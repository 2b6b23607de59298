#!/usr/bin/env bash
# What the console costs to run, measured in tmux with a release build:
#   idle    - a paused demo left alone: CPU time used and bytes sent to the terminal
#   playing - a demo running at speed 3600 (the clock redraws ~10 times a second)
# CPU comes from /proc/PID/stat (utime+stime); bytes from tmux pipe-pane.
# Usage: bench/console-cost.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v tmux >/dev/null || { echo "needs tmux" >&2; exit 2; }
swift build -c release --product truce >/dev/null
bin=$(readlink -f .build/release/truce)
tick=$(getconf CLK_TCK)
out=$(mktemp -d)
sock="truce-bench-$$"
trap 'tmux -L "$sock" kill-session -t b 2>/dev/null || true; rm -rf "$out"' EXIT

measure() {  # name, demo arguments
  local name=$1; shift
  tmux -L "$sock" new-session -d -s b -x 120 -y 40 "env -u NO_COLOR LANG=C.UTF-8 TERM=tmux-256color $bin demo $*"
  tmux -L "$sock" set-option -t b window-size manual >/dev/null
  sleep 1
  local pid; pid=$(pgrep -f "^$bin demo" | head -1)
  : > "$out/$name.bytes"
  tmux -L "$sock" pipe-pane -t b "cat >> $out/$name.bytes"
  local t0; t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  sleep "$secs"
  local t1; t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  tmux -L "$sock" pipe-pane -t b
  local bytes; bytes=$(wc -c < "$out/$name.bytes")
  local cpu; cpu=$(echo "scale=2; ($t1 - $t0) * 100 / $tick / $secs" | bc)
  printf '%-8s %5s%% CPU   %8d bytes to the terminal in %ss (%d bytes/s)\n' "$name" "$cpu" "$bytes" "$secs" $((bytes / secs))
  tmux -L "$sock" kill-session -t b
  sleep 0.3
}

echo "truce console cost, 120x40, release build, ${secs}s each"
measure idle climb --paused
measure playing climb --speed 3600
