#!/usr/bin/env bash
# The main job on a bundled model: import a Keras model, verify lstmc's model
# against the outputs Keras itself computed, write the canonical .safetensors,
# generate C and Swift, and verify the generated code on this host and on emulated
# Cortex-M4F and Cortex-M3 boards (qemu).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product lstmc
lstmc=.build/release/lstmc
model=Fixtures/keras/k2_basic.h5
fixture=Fixtures/keras/k2_basic.fixture.json
mkdir -p out
set -x
"$lstmc" inspect "$model"
"$lstmc" verify "$model" --fixture "$fixture"
"$lstmc" convert "$model" -o out/k2_basic.safetensors
"$lstmc" generate c out/k2_basic.safetensors -o out/c --name kws --fixture "$fixture"
"$lstmc" verify out/k2_basic.safetensors --fixture "$fixture" --target c --target c-cortex-m4 --target c-cortex-m3
"$lstmc" generate swift out/k2_basic.safetensors -o out/swift --name kws --fixture "$fixture"
"$lstmc" verify out/k2_basic.safetensors --fixture "$fixture" --target swift --target swift-cortex-m4
