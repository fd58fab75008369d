#!/usr/bin/env bash
# The main job on a bundled model: inspect a Keras model, convert it to the
# canonical .safetensors model, and verify both against the outputs Keras
# itself computed.
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
"$lstmc" convert "$model" -o out/k2_basic.safetensors
"$lstmc" verify "$model" --fixture "$fixture"
"$lstmc" verify out/k2_basic.safetensors --fixture "$fixture" --target interpreter
