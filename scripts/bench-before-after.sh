#!/usr/bin/env bash
# Compares two lstmc builds' generated C side by side in one run: `lstmc bench` on the benchmark
# models at -O2 and at -O3 -march=native (`--math fast`, on-CPU medians, each run's own peak, and
# callgrind's instructions per step), alternating BEFORE and AFTER per model and flags so both see
# the same machine; then scripts/placement.c on each: `step` and `predict` with the state at eight
# byte offsets, same run. Prints Markdown (the README's "Host kernels: before and after" table).
# With AB_ONLY=1 it instead links both builds' code of each model into one program
# (scripts/before-after.c) that times them alternately, round by round: the steadiest comparison
# on a loaded machine (one line per model and flags).
#
#     scripts/bench-before-after.sh BEFORE_LSTMC [AFTER_LSTMC] [MODELS...]
#
# AFTER_LSTMC defaults to this checkout's release build (built first). Needs python3 and cc.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/bench-before-after.sh BEFORE_LSTMC [AFTER_LSTMC] [MODELS...]" >&2; exit 64; }
command -v python3 >/dev/null || { echo "scripts/bench-before-after.sh: python3 not found" >&2; exit 2; }
before=$1
after=${2:-}
shift $(($# >= 2 ? 2 : 1))
if [ -z "$after" ]; then
  swift build -c release --product lstmc >&2
  after=.build/release/lstmc
fi
models=${*:-lstm_8x8 lstm_16x32 lstm_32x64 lstm_64x128 gru_32x64}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
cc=${CC:-cc}

if [ "${AB_ONLY:-0}" = 1 ]; then
  echo "| model | flags | \`step\` ns median before → after (after / before) | \`predict\` ns/step median before → after (after / before) |"
  echo "| --- | --- | ---: | ---: |"
  for model in $models; do
    dir="$results/$model"
    "$before" generate c "Fixtures/bench/$model.h5" -o "$dir" --name mb --math fast >/dev/null
    "$after" generate c "Fixtures/bench/$model.h5" -o "$dir" --name ma --math fast >/dev/null
    for flags in "-O2" "-O3 -march=native"; do
      # shellcheck disable=SC2086
      $cc -std=c99 $flags -c "$dir/mb.c" -o "$dir/mb.o"
      # shellcheck disable=SC2086
      $cc -std=c99 $flags -c "$dir/ma.c" -o "$dir/ma.o"
      $cc -std=gnu11 -O2 -I"$dir" -c scripts/before-after.c -o "$dir/ab.o"
      $cc "$dir/mb.o" "$dir/ma.o" "$dir/ab.o" -lm -o "$dir/ab"
      "$dir/ab" | sed -E "s/^step ([0-9]+) -> ([0-9]+) \(x([0-9.]+);[^)]*\)  predict ([0-9]+) -> ([0-9]+) \(x([0-9.]+);.*/| \`$model\` | \`$flags\` | \1 → \2 (\3) | \4 → \5 (\6) |/"
    done
  done
  exit 0
fi

for model in $models; do
  for flags in "-O2" "-O3 -march=native"; do
    tag=$(echo "$flags" | tr -cd 'A-Za-z0-9')
    for side in before after; do
      lstmc=$before; [ $side = after ] && lstmc=$after
      echo "$side: lstmc bench Fixtures/bench/$model.h5 --cflags \"$flags\" --json" >&2
      "$lstmc" bench "Fixtures/bench/$model.h5" --cflags "$flags" --json >"$results/$model.$tag.$side.json"
    done
    for side in before after; do
      lstmc=$before; [ $side = after ] && lstmc=$after
      dir="$results/$model.$tag.$side"
      "$lstmc" generate c "Fixtures/bench/$model.h5" -o "$dir" --name m --math fast >/dev/null
      # shellcheck disable=SC2086
      $cc -std=c99 $flags -I"$dir" -c "$dir/m.c" -o "$dir/m.o"
      $cc -std=gnu11 -O2 -I"$dir" -c scripts/placement.c -o "$dir/placement.o"
      $cc "$dir/m.o" "$dir/placement.o" -lm -o "$dir/placement"
    done
    for mode in step predict; do
      for side in before after; do
        "$results/$model.$tag.$side/placement" $mode >"$results/$model.$tag.$side.$mode.placement"
      done
    done
  done
done

python3 - "$results" "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)" "$(date -u +%Y-%m-%d)" $models <<'PY'
import json, os, re, sys
folder, machine, day = sys.argv[1:4]
models = sys.argv[4:]
def f(x):
    if x is None: return "–"
    return "%.0f" % x if x >= 100 else ("%.1f" % x if x >= 10 else "%.2f" % x)
def spread(path):
    m = re.search(r"spread ([0-9.]+) %", open(path).read())
    return m.group(1) + " %" if m else "–"
print("Machine: %s, one thread; %s; `lstmc bench MODEL --cflags FLAGS --json` (`--math fast`), before and after alternating per model and flags." % (machine, day))
print()
print("| model | flags | peak MAC/ns | `step` × floor before → after | `predict` × floor before → after | `step` ns before → after | instructions/step (`step`) before → after | placement spread `step` before → after | placement spread `predict` before → after |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for model in models:
    for flags in ["-O2", "-O3 -march=native"]:
        tag = re.sub(r"[^A-Za-z0-9]", "", flags)
        b, a = (json.load(open(os.path.join(folder, "%s.%s.%s.json" % (model, tag, side)))) for side in ["before", "after"])
        def pair(key, sub=None):
            x, y = (r[key] if sub is None else (r[key] or {}).get(sub) for r in (b, a))
            return "%s → %s" % (f(x), f(y))
        place = lambda mode: "%s → %s" % tuple(spread(os.path.join(folder, "%s.%s.%s.%s.placement" % (model, tag, side, mode))) for side in ["before", "after"])
        print("| `%s` | `%s` | %s / %s | %s | %s | %s | %s | %s | %s |" % (
            model, flags, f(b["peak"]["mac_per_ns"]), f(a["peak"]["mac_per_ns"]),
            pair("ratio", "step"), pair("ratio", "predict"), pair("step", "median_ns"),
            pair("instructions", "step"), place("step"), place("predict")))
PY
