#!/usr/bin/env bash
# Regenerates Sources/CONNX's C code from Sources/CONNX/onnx_subset.proto with
# protoc-c (Debian: protobuf-c-compiler). Only needed after editing the .proto;
# the generated files are committed, so builds need only libprotobuf-c-dev.
set -euo pipefail
cd "$(dirname "$0")/../Sources/CONNX"
command -v protoc-c >/dev/null || { echo "protoc-c not found; apt-get install protobuf-c-compiler" >&2; exit 2; }
protoc-c --c_out=. onnx_subset.proto
mv onnx_subset.pb-c.h include/onnx_subset.pb-c.h
echo "regenerated $(pwd)/onnx_subset.pb-c.c and include/onnx_subset.pb-c.h with $(protoc-c --version | head -1)"
