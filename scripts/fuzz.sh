#!/usr/bin/env bash
# Builds lstmc's libFuzzer targets (Fuzz/) and runs one of them.
#
#   scripts/fuzz.sh TARGET [SECONDS] [libFuzzer options...]   run TARGET for SECONDS (default 600)
#   scripts/fuzz.sh smoke [SECONDS]                           every target for SECONDS (default 45), fixed seed,
#                                                             one per core at a time; fails on any finding (CI)
#   scripts/fuzz.sh build                                     only build
#
# TARGET: onnx, safetensors, fixture, numpy, keras-config, keras-archive. Builds in .build-fuzz/
# (release, -sanitize=fuzzer,address); seeds .build-fuzz/corpus/TARGET/ from Fixtures/ the first
# time; findings (crash-*, timeout-*, oom-*) land in .build-fuzz/artifacts/TARGET/. Limits: 10 s per
# input, 2 GB of memory. Extra options go to libFuzzer, e.g. -runs=1000000 -jobs=1.
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=.build-fuzz
TARGETS=(onnx safetensors fixture numpy keras-config keras-archive)

binary() {
  case "$1" in
    onnx) echo FuzzONNX ;;
    safetensors) echo FuzzSafetensors ;;
    fixture) echo FuzzFixture ;;
    numpy) echo FuzzNumPy ;;
    keras-config) echo FuzzKerasConfig ;;
    keras-archive) echo FuzzKerasArchive ;;
    *) echo "fuzz.sh: unknown target '$1'; one of: ${TARGETS[*]}, smoke, build" >&2; exit 64 ;;
  esac
}

build() {
  (cd Fuzz && swift build -c release --scratch-path "../$SCRATCH" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
}

corpus() {
  local target missing=0
  for target in "${TARGETS[@]}"; do [ -d "$SCRATCH/corpus/$target" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    local lstmc=""
    [ -x .build/debug/lstmc ] && lstmc=.build/debug/lstmc
    python3 Fuzz/collect_corpus.py "$SCRATCH/corpus" $lstmc
  fi
}

# run TARGET SECONDS [options...]
run() {
  local target=$1 seconds=$2
  shift 2
  local bin
  bin=$(binary "$target")
  local dictionary=$target
  [ "$target" = keras-archive ] && dictionary=keras-config  # the same JSON keys
  mkdir -p "$SCRATCH/artifacts/$target"
  ASAN_OPTIONS=detect_leaks=0 "$SCRATCH/release/$bin" "$SCRATCH/corpus/$target" \
    -dict="Fuzz/Dictionaries/$dictionary.dict" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$SCRATCH/artifacts/$target/" "$@"
}

case "${1:-}" in
  "" | -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  build) build ;;
  smoke)
    seconds=${2:-45}
    build
    corpus
    mkdir -p "$SCRATCH/artifacts"
    # One libFuzzer process per core at a time (each is single-threaded).
    parallel=$(nproc 2> /dev/null || echo 1)
    failed=()
    pids=()
    names=()
    finish() {  # waits for the oldest running target
      local pid=${pids[0]} name=${names[0]}
      pids=("${pids[@]:1}")
      names=("${names[@]:1}")
      local log="$SCRATCH/artifacts/smoke-$name.log"
      if wait "$pid"; then
        echo "== fuzz smoke: $name, $seconds s"
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" || true
      else
        echo "== fuzz smoke: $name FAILED"
        tail -n 40 "$log"
        failed+=("$name")
      fi
    }
    for target in "${TARGETS[@]}"; do
      [ "${#pids[@]}" -ge "$parallel" ] && finish
      run "$target" "$seconds" -seed=14 > "$SCRATCH/artifacts/smoke-$target.log" 2>&1 &
      pids+=($!)
      names+=("$target")
    done
    while [ "${#pids[@]}" -gt 0 ]; do finish; done
    if [ "${#failed[@]}" -gt 0 ]; then
      echo "fuzz.sh: ${failed[*]} found a crash, hang or out-of-memory input; see $SCRATCH/artifacts/" >&2
      exit 1
    fi
    ;;
  *)
    target=$1
    binary "$target" > /dev/null
    seconds=${2:-600}
    shift $(($# >= 2 ? 2 : 1))
    build
    corpus
    run "$target" "$seconds" "$@"
    ;;
esac
