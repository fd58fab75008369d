#!/usr/bin/env python3
"""Collects seed corpora for the fuzz targets from Fixtures/ (standard library only).

    Fuzz/collect_corpus.py OUT [LSTMC]

writes OUT/<target>/ for onnx, safetensors, fixture, numpy, keras-config and keras-archive.
safetensors seeds are canonical models written by `LSTMC convert` (skipped when no
lstmc binary is given) plus two hand-made containers. keras-archive seeds are one
selector byte (the .keras fixture whose weights go with it, in file-name order, as
Fuzz/Sources/FuzzKerasArchive expects) followed by that archive's config.json.
"""
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Fixtures")


def files(suffix):
    for folder, _, names in os.walk(FIXTURES):
        for name in sorted(names):
            if name.endswith(suffix):
                yield os.path.join(folder, name)


def put(out, target, data):
    folder = os.path.join(out, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def npy(descr, shape, payload, version=1, fortran=False):
    """A .npy file: magic, version, little-endian header length, the header dict padded with spaces
    to a multiple of 64 bytes and ended by a newline, then the data."""
    shape_text = "(%s)" % "".join("%d," % n for n in shape) if len(shape) == 1 else "(%s)" % ", ".join(map(str, shape))
    header = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape_text)
    prefix = 10 if version == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    length = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode("latin1") + payload


def numpy_seeds():
    yield npy("<f4", [2, 3, 4], struct.pack("<24f", *[i / 7 - 1.5 for i in range(24)]))
    yield npy("<f4", [1, 5, 2], struct.pack("<10f", *[0.25 * i for i in range(10)]), version=2)
    yield npy("<i4", [2, 6], struct.pack("<12i", *range(-3, 9)))
    yield npy("<f4", [3], struct.pack("<3f", 1.0, float("nan"), -0.0), version=3)
    yield npy("<f4", [2, 2], struct.pack("<4f", 1, 2, 3, 4), fortran=True)  # refused: Fortran order
    yield npy("<f8", [2], struct.pack("<2d", 1, 2))  # refused: float64


def main():
    out = sys.argv[1]
    lstmc = sys.argv[2] if len(sys.argv) > 2 else None
    for path in files(".onnx"):
        put(out, "onnx", open(path, "rb").read())
    for path in files(".fixture.json"):
        data = open(path, "rb").read()
        if len(data) <= 64 * 1024:
            put(out, "fixture", data)
    keras = sorted(n for n in os.listdir(os.path.join(FIXTURES, "keras")) if n.endswith(".keras"))
    for index, name in enumerate(keras):
        with zipfile.ZipFile(os.path.join(FIXTURES, "keras", name)) as z:
            config = z.read("config.json")
        put(out, "keras-config", config)
        put(out, "keras-archive", bytes([index]) + config)
    header = json.dumps({"__metadata__": {"format": "lstmc-model-1"},
                         "w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    put(out, "safetensors", struct.pack("<Q", len(header)) + header + struct.pack("<2f", 1.0, -2.0))
    put(out, "safetensors", struct.pack("<Q", 2) + b"{}")
    if lstmc:
        with tempfile.TemporaryDirectory() as tmp:
            for model in ("keras/k2_basic.h5", "keras/k2_bidi_state.h5", "keras/k3_embedding_mask.keras",
                          "onnx/h_fwd_op14.onnx", "onnx/torch_bidi_bf_last.onnx", "onnx/tf2onnx_bidi.onnx"):
                target = os.path.join(tmp, "m.safetensors")
                if subprocess.run([lstmc, "convert", os.path.join(FIXTURES, model), "-o", target],
                                  capture_output=True).returncode == 0:
                    put(out, "safetensors", open(target, "rb").read())
    for seed in numpy_seeds():
        put(out, "numpy", seed)
    for target in ("onnx", "safetensors", "fixture", "keras-config", "keras-archive", "numpy"):
        print("%s: %d seeds" % (target, len(os.listdir(os.path.join(out, target)))))


if __name__ == "__main__":
    main()
