#!/usr/bin/env bash
# Keystroke to finished frame: the console core's cost of one j/k key (the
# message, the view model, rendering 120x40 into memory and diffing it with
# the last frame), with 100, 10,000 and 100,000 open incidents on a paused
# demo; then the same for an action key (a), which changes the engine and so
# rebuilds the sorted list. curses sends only the changed cells on top of this.
# Usage: bench/keystroke.sh [INCIDENTS…]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product truce-bench >/dev/null
.build/release/truce-bench keys "$@"
echo
.build/release/truce-bench actions "$@"
