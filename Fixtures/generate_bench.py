#!/usr/bin/env python3
"""Generate the benchmark models under Fixtures/bench/ (for `lstmc bench`).

Four single-layer tf-keras LSTMs, (input, hidden) = (8, 8), (16, 32),
(32, 64), (64, 128), and one tf-keras GRU (reset_after=True, the TF2 default),
(32, 64), each returning only its last hidden state, so the whole model is the
recurrent layer and the floor formula of `lstmc bench` (4*H*(I+H) multiply-adds
per step for an LSTM, 3*H*(I+H) for a GRU) describes all of its work.  Each model has a small
fixture (batch 2, 12 steps) whose expected outputs tf-keras computed by
`model.predict` on the model re-loaded from the file, so `lstmc verify` works
on every benchmark model too.

Run from the repository root with the pinned venv (Fixtures/requirements.txt):

    /tmp/lstmc-venv/bin/python Fixtures/generate_bench.py [--only gru_32x64]

Seeded: a rerun gives the same weights, inputs and expected numbers (the .h5
files may differ byte for byte in timestamps).  Weights: kernels uniform in
+-1.2/sqrt(input), recurrent kernels uniform in +-1.2/sqrt(hidden), biases the
per-gate offsets of generate.py (LSTM i +0.3, f +0.8, c -0.2, o +0.5; GRU
input and recurrent rows as GRU_GATE_OFFSETS, so the candidate's recurrent bias
is not zero) plus noise in +-0.3, so every gate sees pre-activations of order 1;
all rounded to multiples of 2^-12.  To keep the repository small, the saved .h5 is rewritten with h5py
so its weight datasets use HDF5's shuffle + deflate filters (Keras and lstmc
read them transparently); the fixture comes from Keras re-loading that file.
"""

import argparse
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# generate.py sets up the environment (CPU only, no oneDNN reordering) on import.
from generate import GATE_OFFSETS, GRU_GATE_OFFSETS, TOLERANCE, check_versions  # noqa: E402
from fixture_io import dump_fixture, float_inputs, log, tensor_json  # noqa: E402

import numpy as np  # noqa: E402

BENCH_DIR = os.path.join(HERE, "bench")
SCRIPT = "Fixtures/generate_bench.py"
MODELS = [("lstm", 8, 8), ("lstm", 16, 32), ("lstm", 32, 64), ("lstm", 64, 128), ("gru", 32, 64)]
BATCH = 2
STEPS = 12


def build(K, inputs, hidden, seed, cell="lstm"):
    K.backend.clear_session()
    K.utils.set_random_seed(seed)
    # Any sequence length: `lstmc bench` runs these models on long sequences.
    x = K.Input(shape=(None, inputs), name="features")
    layer = K.layers.GRU if cell == "gru" else K.layers.LSTM
    y = layer(hidden, name=cell)(x)
    name = "bench_%dx%d" % (inputs, hidden) if cell == "lstm" else "bench_%s_%dx%d" % (cell, inputs, hidden)
    model = K.Model(x, y, name=name)
    rng = np.random.default_rng(seed)
    kernel, recurrent, bias = model.get_layer(cell).get_weights()
    kernel = rng.uniform(-1.2, 1.2, kernel.shape) / np.sqrt(inputs)
    recurrent = rng.uniform(-1.2, 1.2, recurrent.shape) / np.sqrt(hidden)
    if cell == "gru":
        # [2, 3H]: the input bias row and the recurrent bias row (reset_after=True), gates z, r, h.
        bias = rng.uniform(-0.3, 0.3, bias.shape) + np.repeat(GRU_GATE_OFFSETS, hidden, axis=-1)
    else:
        bias = rng.uniform(-0.3, 0.3, bias.shape) + np.repeat(GATE_OFFSETS, hidden)
    # Multiples of 2^-12: a float32 mantissa of at most 12 bits, so the compressed file is small.
    weights = [(np.round(w * 4096.0) / 4096.0).astype(np.float32) for w in (kernel, recurrent, bias)]
    model.get_layer(cell).set_weights(weights)
    return model


def compress_weights(path):
    """Rewrites a saved .h5 into a fresh file whose weight datasets use HDF5's shuffle and
    deflate filters (same groups, names, values, dtypes and attributes); h5py, Keras and
    libhdf5 read them transparently."""
    import h5py

    tmp = path + ".tmp"

    def copy_attrs(src, dst):
        for k in src.attrs.keys():
            dst.attrs.create(k, src.attrs[k], dtype=src.attrs.get_id(k).dtype)

    def copy_group(src, dst):
        copy_attrs(src, dst)
        for name, item in src.items():
            if isinstance(item, h5py.Group):
                copy_group(item, dst.create_group(name))
            else:
                data = item[()]
                big = data.size >= 16
                d = dst.create_dataset(name, data=data, dtype=item.dtype, shuffle=big,
                                       compression="gzip" if big else None,
                                       compression_opts=9 if big else None)
                copy_attrs(item, d)

    with h5py.File(path, "r") as src, h5py.File(tmp, "w") as dst:
        copy_group(src, dst)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--any-version", action="store_true", help="skip the version pin check")
    ap.add_argument("--big", metavar="PATH",
                    help="only write a 1,003,944-parameter LSTM (354 inputs, 354 units) to PATH, "
                         "outside the repository, for timing import and generation (scripts/bench.sh)")
    ap.add_argument("--only", metavar="STEM", action="append",
                    help="only (re)write this model, e.g. gru_32x64 (may be given more than once)")
    args = ap.parse_args()
    if not args.any_version:
        bad = check_versions()
        if bad:
            sys.exit("generate_bench.py: wrong package versions: %s; see Fixtures/requirements.txt"
                     % ", ".join(bad))
    import tf_keras as K

    if args.big:
        model = build(K, 354, 354, 354)
        model.save(args.big, include_optimizer=False)
        log("  %s params=%d" % (args.big, model.count_params()))
        return
    producer = {"framework": "tf-keras", "version": K.__version__, "script": SCRIPT}
    os.makedirs(BENCH_DIR, exist_ok=True)
    for cell, inputs, hidden in MODELS:
        stem = "%s_%dx%d" % (cell, inputs, hidden)
        if args.only and stem not in args.only:
            continue
        seed = zlib.crc32(("bench:%s" % stem).encode()) & 0x7FFFFFFF
        model = build(K, inputs, hidden, seed, cell)
        path = os.path.join(BENCH_DIR, stem + ".h5")
        if os.path.exists(path):
            os.remove(path)
        model.save(path, include_optimizer=False)
        y_before = model.predict(np.zeros((1, STEPS, inputs), np.float32), verbose=0)
        compress_weights(path)
        x = float_inputs(np.random.default_rng(seed + 1), (BATCH, STEPS, inputs))
        y_ref = model.predict(x, batch_size=BATCH, verbose=0)
        reloaded = K.models.load_model(path, compile=False)
        if not np.array_equal(reloaded.predict(np.zeros((1, STEPS, inputs), np.float32), verbose=0), y_before):
            raise RuntimeError("%s: the compressed file does not reload the same model" % path)
        y = reloaded.predict(x, batch_size=BATCH, verbose=0)
        if not np.allclose(y, y_ref, rtol=1e-6, atol=1e-6):
            raise RuntimeError("%s: reloaded model differs from in-memory model" % path)
        fixture = {
            "model": stem + ".h5",
            "producer": producer,
            "tolerance": TOLERANCE,
            "inputs": [tensor_json("features", x)],
            "outputs": [tensor_json(cell, y)],
        }
        dump_fixture(os.path.join(BENCH_DIR, stem + ".fixture.json"), fixture)
        log("  %-14s params=%d max|y|=%.3f" % (stem, model.count_params(), float(np.abs(y).max())))


if __name__ == "__main__":
    main()
