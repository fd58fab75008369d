#!/usr/bin/env bash
# Benchmarks the generated C on the five models in Fixtures/bench/ (four LSTMs and a GRU) with `lstmc bench`
# (release build) and prints the README's "Benchmarks" table in Markdown, with the machine,
# compiler and date. Arguments are passed to every `lstmc bench` (e.g. --steps 2000,
# --cflags "-O2", --math exact); the defaults are the README's configuration.
#
# When $BIG_MODEL (default /tmp/big.h5) exists, it also times `lstmc generate c` on it
# (import + generation; make it with
#   /work/venv/keras/bin/python Fixtures/generate_bench.py --big /tmp/big.h5).
# Needs python3 (to read lstmc's JSON).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "scripts/bench.sh: python3 not found (apt-get install python3)" >&2; exit 2; }
swift build -c release --product lstmc >&2
lstmc=.build/release/lstmc
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

models="lstm_8x8 lstm_16x32 lstm_32x64 lstm_64x128 gru_32x64"
for model in $models; do
  echo "lstmc bench Fixtures/bench/$model.h5 $*" >&2
  "$lstmc" bench "Fixtures/bench/$model.h5" --json "$@" >"$results/$model.json"
done

big=${BIG_MODEL:-/tmp/big.h5}
if [ -f "$big" ]; then
  echo "lstmc inspect $big; lstmc generate c $big" >&2
  start=$(date +%s.%N)
  "$lstmc" inspect "$big" >/dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$end" >"$results/import.seconds"
  start=$(date +%s.%N)
  "$lstmc" generate c "$big" -o "$results/big" --name big >/dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$end" >"$results/big.seconds"
  du -k "$results/big/big.c" | cut -f1 >"$results/big.kb"
fi

machine=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
python3 - "$results" "$machine" "$(date -u +%Y-%m-%d)" "$big" $models <<'PY'
import json, os, sys
folder, machine, day, big = sys.argv[1:5]
models = sys.argv[5:]
def f(x):
    if x is None: return "–"
    return "%.0f" % x if x >= 100 else ("%.1f" % x if x >= 10 else "%.2f" % x)
rows, peaks = [], []
for model in models:
    r = json.load(open(os.path.join(folder, model + ".json")))
    fl, st, pr, it = r["floor"], r["step"], r["predict"], r["interpreter"]
    ins = r["instructions"] or {}
    peaks.append(r["peak"]["mac_per_ns"])
    mf = r.get("memory_floor") or {}
    pre = [t["preempted_runs"] for t in (st, pr) if t and t.get("preempted_runs") is not None]
    rows.append("| `%s` | %d | %s | %s | %s (%s–%s) | %s | %s | %s (%s–%s) | %s | %s | %s | %s / %s |" % (
        os.path.basename(r["model"]), fl["mac_per_step"], f(fl["ns_per_step"]), f(mf.get("ns_per_step")),
        f(st and st["median_ns"]), f(st and st["min_ns"]), f(st and st["max_ns"]), f(r["ratio"]["step"]),
        f(r["ratio"].get("step_vs_limit")),
        f(pr["median_ns"]), f(pr["min_ns"]), f(pr["max_ns"]), f(r["ratio"]["predict"]), f(it["median_ns"]),
        sum(pre) if pre else "–",
        ins.get("step") if ins.get("step") is not None else "–",
        ins.get("predict") if ins.get("predict") is not None else "–"))
print("Machine: %s, one thread; %s; %s; `lstmc bench` with `--steps %d --math %s --cflags \"%s\"` (%s)."
      % (machine, r["compiler_version"], day, r["steps"], r["math"], " ".join(r["cflags"]), r["compiler"]))
print("Peak: %.1f–%.1f multiply-adds/ns (%.0f–%.0f GFLOP/s; float32, one thread, measured in each run, "
      "flags + `-ffp-contract=fast`). Floor = 4·H·(I+H) multiply-adds per step for an LSTM, 3·H·(I+H) for a GRU, "
      "at the run's peak; × floor = median / floor. Memory floor = the weight bytes at the read bandwidth measured in "
      "the same run from a buffer of that size; × limit = median / max(floor, memory floor). Times are on-CPU "
      "(the thread's CPU clock); preempted = timed runs (step + predict) that waited on a run queue."
      % (min(peaks), max(peaks), 2 * min(peaks), 2 * max(peaks)))
print()
print("| model | MAC/step | floor ns | memory floor ns | `step` ns median (min–max) | × floor | × limit | `predict` ns/step median (min–max) | × floor | interpreter ns/step | preempted | instructions/step (`step` / `predict`) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
print("\n".join(rows))
notes = sorted({n for model in models for n in json.load(open(os.path.join(folder, model + ".json")))["notes"]})
for n in notes:
    print("\nNote: " + n + ".")
if "lstm_32x64" in models and "gru_32x64" in models:
    lstm, gru = (json.load(open(os.path.join(folder, m + ".json")))["ratio"]["step"] for m in ["lstm_32x64", "gru_32x64"])
    if lstm and gru:
        print("\nAt (32, 64), `step` × floor: LSTM %s, GRU %s (GRU / LSTM %.2f)." % (f(lstm), f(gru), gru / lstm))
seconds = os.path.join(folder, "big.seconds")
if os.path.exists(seconds):
    print("\nA 1,003,944-parameter LSTM (354 inputs, 354 units; `Fixtures/generate_bench.py --big`), release build: "
          "`lstmc inspect` (import) %s s; `lstmc generate c` (import, generation, and when arm-none-eabi-gcc is "
          "installed the Cortex-M4F code-size measurement of a skeleton source whose tables are declared extern) %s s; `big.c` %s KB."
          % (open(os.path.join(folder, "import.seconds")).read().strip(), open(seconds).read().strip(),
             open(os.path.join(folder, "big.kb")).read().strip()))
PY
