#!/usr/bin/env bash
# Counts instructions per step of the generated C on the emulated Cortex-M cores for the models in
# Fixtures/bench/ with `lstmc bench --target` (release build) and prints the README's Cortex-M table
# in Markdown: per model, the Cortex-M4F with --math fast and --math exact and the Cortex-M3
# (soft float) with --math fast, each in its core's own layout (the default of --target-core), the
# Cortex-M4F with --math fast in the host layout beside them, and the memory report. Counts are deterministic (qemu counts the
# instructions, outside the guest), so a busy machine changes only how long this takes: about
# 20 minutes, most of it the soft-float Cortex-M3 at (64, 128).
#
#   scripts/bench-cortex-m.sh [MODEL_STEM...]   (default: every model in Fixtures/bench/)
#   CONFIGURATIONS="c-cortex-m4:fast ..." scripts/bench-cortex-m.sh   (a subset, TARGET:MATH[:CORE] with CORE
#   a --target-core; missing cells print "–";
#   with RESULTS=DIR the JSON stays in DIR and earlier runs' cells count too)
#   QUANTIZED="c-cortex-m4 c-cortex-m3" scripts/bench-cortex-m.sh   (the targets of the second table: each model
#   quantized with `lstmc quantize` (int8x8_16, per-channel, calibrated on its fixture's inputs) and counted
#   through the float API (`step`) and the integer API (`step_q`); QUANTIZED="" skips it)
#
# Needs python3 (to read lstmc's JSON), arm-none-eabi-gcc and qemu-system-arm.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v python3 >/dev/null || { echo "scripts/bench-cortex-m.sh: python3 not found (apt-get install python3)" >&2; exit 2; }
if [ -z "${LSTMC:-}" ]; then  # $LSTMC: an lstmc binary to use instead of a release build
  swift build -c release --product lstmc >&2
  LSTMC=.build/release/lstmc
fi
lstmc=$LSTMC
if [ -n "${RESULTS:-}" ]; then  # $RESULTS: a folder that keeps the JSON, to add to it over several runs
  results=$RESULTS
  mkdir -p "$results"
else
  results=$(mktemp -d)
  trap 'rm -rf "$results"' EXIT
fi

models=${*:-lstm_8x8 lstm_16x32 lstm_32x64 lstm_64x128 gru_32x64}
configurations=${CONFIGURATIONS-"c-cortex-m4:fast c-cortex-m4:exact c-cortex-m3:fast c-cortex-m4:fast:host"}
for model in $models; do
  for configuration in $configurations; do
    IFS=: read -r target math core <<<"$configuration"
    if [ -n "$core" ]; then
      echo "lstmc bench Fixtures/bench/$model.h5 --target $target --math $math --target-core $core" >&2
      "$lstmc" bench "Fixtures/bench/$model.h5" --target "$target" --math "$math" --target-core "$core" --json \
        >"$results/$model.$target.$math.$core.json"
    else
      echo "lstmc bench Fixtures/bench/$model.h5 --target $target --math $math" >&2
      "$lstmc" bench "Fixtures/bench/$model.h5" --target "$target" --math "$math" --json \
        >"$results/$model.$target.$math.json"
    fi
  done
done

quantized_targets=${QUANTIZED-"c-cortex-m4 c-cortex-m3"}
if [ -n "$quantized_targets" ]; then
  for model in $models; do
    if [ ! -s "$results/$model.int8.safetensors" ]; then
      echo "lstmc quantize Fixtures/bench/$model.h5 --calibrate Fixtures/bench/$model.fixture.json" >&2
      "$lstmc" quantize "Fixtures/bench/$model.h5" --calibrate "Fixtures/bench/$model.fixture.json" \
        -o "$results/$model.int8.safetensors" >/dev/null || continue
    fi
    for target in $quantized_targets; do
      echo "lstmc bench $model.int8.safetensors --target $target" >&2
      "$lstmc" bench "$results/$model.int8.safetensors" --target "$target" --json \
        >"$results/$model.int8.$target.json" || rm -f "$results/$model.int8.$target.json"
    done
  done
fi

python3 - "$results" "$(date -u +%Y-%m-%d)" "$("$lstmc" --version)" "$(arm-none-eabi-gcc --version | head -1)" \
  "$(qemu-system-arm --version | head -1)" $models <<'PY'
import json, os, sys
folder, day, version, gcc, qemu = sys.argv[1:6]
models = sys.argv[6:]
def load(model, target, math, core=None):
    path = os.path.join(folder, "%s.%s.%s%s.json" % (model, target, math, "." + core if core else ""))
    return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else None
def cell(r):
    if r is None: return "–"
    i, p = r["instructions"], r["instructions_per_mac_by_mode"]
    step = "%.0f (%.2f)" % (i["step"], p["step"]) if i["step"] is not None else "–"
    return "%s / %.0f (%.2f)" % (step, i["predict"], p["predict"])
print("%s; lstmc %s; %s; %s; `arm-none-eabi-gcc -std=c99 -O2`, batch 1. "
      "Instructions per step (per multiply-add of the floor) for `step` / `predict`; counted by qemu "
      "(`-d exec,nochain`, one instruction per block), a 3-step run minus a 1-step run, halved. "
      "Each core in its own layout (`--target-core cortex-m4` / `cortex-m3`, the default), "
      "and the M4F in the host layout (`--target-core host`) for comparison."
      % (day, version, gcc, qemu))
print()
print("| model | MAC/step | M4F fast | M4F exact | M3 soft float, fast | M4F fast, host layout | code (M4F, fast) | state struct | stack step / predict (M4F, fast) |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for model in models:
    fast, exact, m3 = load(model, "c-cortex-m4", "fast"), load(model, "c-cortex-m4", "exact"), load(model, "c-cortex-m3", "fast")
    host = load(model, "c-cortex-m4", "fast", "host")
    m = (fast or exact or m3 or host)["memory"]
    print("| `%s.h5` | %d | %s | %s | %s | %s | %d B | %s B | %s / %s B |" % (
        model, (fast or exact or m3 or host)["floor"]["mac_per_step"], cell(fast), cell(exact), cell(m3), cell(host),
        m["code"], m["state"],
        m["stack_step"] if m["stack_step"] is not None else "–", m["stack_predict"]))

def integer(model, target):
    path = os.path.join(folder, "%s.int8.%s.json" % (model, target))
    return json.load(open(path)) if os.path.exists(path) and os.path.getsize(path) > 0 else None
rows = [(m, integer(m, "c-cortex-m4"), integer(m, "c-cortex-m3")) for m in models]
if any(q4 or q3 for _, q4, q3 in rows):
    def steps(r, key="step"):
        if r is None or r["instructions"][key] is None: return "–"
        return "%.0f (%.2f)" % (r["instructions"][key], r["instructions_per_mac_by_mode"][key])
    print()
    print("Integer (`lstmc quantize`, `int8x8_16`, per-channel) against float (`--math fast`), instructions per "
          "step (per multiply-add): the float API `step` (quantizes the input and dequantizes the outputs "
          "every step) and the integer API `step_q`, each core in its own layout; weights as the memory report "
          "gives them (`static const` bytes of the `-Os` build).")
    print()
    print("| model | weights float / int8 | M4F float `step` | M4F int8 `step` | M4F int8 `step_q` | M3 float `step` | M3 int8 `step` | M3 int8 `step_q` |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for model, q4, q3 in rows:
        f4, f3 = load(model, "c-cortex-m4", "fast"), load(model, "c-cortex-m3", "fast")
        fw = (f4 or f3 or {}).get("memory", {}).get("read_only_data")
        qw = (q4 or q3 or {}).get("memory", {}).get("read_only_data")
        weights = "%s / %s B%s" % (fw if fw is not None else "–", qw if qw is not None else "–",
                                   " (%.1f %%)" % (100.0 * qw / fw) if fw and qw else "")
        print("| `%s.h5` | %s | %s | %s | %s | %s | %s | %s |" % (
            model, weights, steps(f4), steps(q4), steps(q4, "step_q"), steps(f3), steps(q3), steps(q3, "step_q")))
PY
