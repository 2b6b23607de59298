#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (swiftc -sanitize=fuzzer,address) of
# the parsers and decoders that take outside input: records, policy and theme
# files, engine snapshots, terminal bytes, and prompt editing. Each target
# runs for SECONDS; the run fails (exit 1) if any target crashes, and the
# input that did it is kept under .build-fuzz/crashes/.
# Usage: bench/fuzz.sh [SECONDS] [TARGET…]   (default 60 s each, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
engine_targets=(records policy snapshot)
console_targets=(theme keys prompt)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${engine_targets[@]}" "${console_targets[@]}")

out=.build-fuzz
mkdir -p "$out/mod" "$out/crashes"
# CCacheHint: the engine's one C header (a prefetch hint), found by its module map.
flags=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -I Sources/CCacheHint/include)
mapfile -t engine_srcs < <(find Sources/TruceEngine -name '*.swift' | sort)
mapfile -t console_srcs < <(find Sources/TruceConsole -name '*.swift' | sort)

build() {  # target
  local t=$1 bin="$out/fuzz-$1"
  if [[ " ${engine_targets[*]} " == *" $t "* ]]; then
    swiftc "${flags[@]}" -module-name TruceEngine "${engine_srcs[@]}" "fuzz/targets/$t.swift" -o "$bin" 2>&1 \
      | grep -v "Cannot export local symbol" || true
  else
    if [ ! -f "$out/TruceEngine.o" ] || [ -n "$(find Sources/TruceEngine -newer "$out/TruceEngine.o" -name '*.swift' | head -1)" ]; then
      swiftc "${flags[@]}" -module-name TruceEngine -wmo -emit-module -emit-module-path "$out/mod/TruceEngine.swiftmodule" \
        -c "${engine_srcs[@]}" -o "$out/TruceEngine.o"
    fi
    swiftc "${flags[@]}" -module-name TruceConsole -I "$out/mod" "${console_srcs[@]}" "fuzz/targets/$t.swift" \
      "$out/TruceEngine.o" -o "$bin" 2>&1 | grep -v "Cannot export local symbol" || true
  fi
  [ -x "$bin" ] || { echo "fuzz: $t did not build" >&2; exit 2; }
}

status=0
printf '%-9s %12s %10s %8s  %s\n' target executions exec/s corpus result
for t in "${targets[@]}"; do
  build "$t"
  work="$out/corpus/$t"
  mkdir -p "$work"
  log="$out/$t.log"
  set +e
  "$out/fuzz-$t" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=4096 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$out/crashes/$t-" "$work" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  corpus=$(find "$work" -type f | wc -l)
  if [ $rc -eq 0 ]; then result=ok; else result="CRASH (see $log)"; status=1; fi
  printf '%-9s %12s %10s %8s  %s\n' "$t" "$runs" "$speed" "$corpus" "$result"
  [ $rc -eq 0 ] || grep -m5 -E 'ERROR|Fatal error|==[0-9]+==' "$log" >&2 || true
done
exit $status
