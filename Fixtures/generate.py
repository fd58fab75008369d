#!/usr/bin/env python3
"""Generate the Keras model files and lstmc fixtures under Fixtures/.

Every expected output in a fixture is what the real framework (tf-keras for
Keras 2, Keras 3 on the TensorFlow backend) predicts after re-loading the
model file it has just written.  Nothing here computes an expected value by
hand.

Set-up and run (from the repository root; the venv lives outside the repo):

    python3 -m venv /tmp/lstmc-venv
    /tmp/lstmc-venv/bin/pip install -r Fixtures/requirements.txt
    /tmp/lstmc-venv/bin/python Fixtures/generate.py

The exact versions are pinned in Fixtures/requirements.txt.  The script checks
them at start-up and refuses to run with others (pass --any-version to skip the
check; the producer versions written into the fixtures are always the ones
actually used).

By default the script runs two child processes of itself, one per Keras major
version (`--only keras2`, `--only keras3`), then rewrites the manifest.  The
models come in parts: "lstm" (MODELS, plus the string traps and the bad
inputs) and "gru" (GRU_MODELS).

    /tmp/lstmc-venv/bin/python Fixtures/generate.py --update gru

rewrites only the GRU part's files (k2_gru_*, k3_gru_*) in both Keras
versions and replaces their manifest entries, leaving every other file as it
is.
Output:
    Fixtures/keras/   model files (k2_*.h5, k3_*.h5, k3_*.keras), one
                      <stem>.fixture.json per model file, manifest.json
    Fixtures/bad/     files lstmc must reject (exit code 2), no fixtures,
                      except mismatched.fixture.json (a fixture that does not
                      fit its model)

Everything is seeded; re-running reproduces the same weights, inputs and
expected numbers (the .keras zips and HDF5 files may differ in timestamps and
in the "shared_object_id" values of Keras 3 configs).

Fixture conventions (format: shared spec fixture-format.md, lstmc-fixture-1):
  * inputs are named after the model's InputLayer (from the saved config;
    Keras 3 KerasTensor names such as "keras_tensor" are not used);
  * outputs are named after the layer producing them, in model output order;
    extra outputs of one layer get a suffix: LSTM return_state ->
    <layer>, <layer>_state_h, <layer>_state_c; Bidirectional return_state ->
    <layer>, <layer>_fw_state_h, <layer>_fw_state_c, <layer>_bw_state_h,
    <layer>_bw_state_c; a GRU returns h only: <layer>, <layer>_state_h, and
    Bidirectional(GRU) <layer>, <layer>_fw_state_h, <layer>_bw_state_h;
  * expected outputs = model.predict(x) of the model re-loaded from the file
    (checked against the in-memory model), float32 with 9 significant digits;
  * a Keras 3 model saved both ways has k3_<stem>.fixture.json (for .keras)
    and k3_<stem>_h5.fixture.json (for .h5).

Weights: every weight is overwritten from a seeded RNG (kernels uniform in
+-scale, LSTM biases get per-gate offsets i:+0.3 f:+0.8 c:-0.2 o:+0.5 plus
noise, GRU biases z:-0.3 r:+0.5 h:+0.2 on the input row and z:+0.25 r:-0.15
h:-0.4 on the recurrent row, plus noise); inputs are normal*2 clipped to
+-4.5 with some values beyond +-3.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
KERAS_DIR = os.path.join(HERE, "keras")
BAD_DIR = os.path.join(HERE, "bad")
SCRIPT = "Fixtures/generate.py"

PINS = {"tensorflow": "2.21.0", "tf_keras": "2.21.0", "keras": "3.15.1"}

# Default tolerance.  No model here needs a looser one: weights are scaled so
# that values stay O(1..10) and both sides compute in float32.
TOLERANCE = {"abs": 1e-5, "rel": 1e-4}

# Per-gate offsets added to every LSTM bias, in Keras gate order i, f, c, o.
# Distinct values make a wrong gate order visible in the outputs.
GATE_OFFSETS = (0.3, 0.8, -0.2, 0.5)

# Per-gate offsets added to every GRU bias, in Keras gate order z, r, h; row 0
# is the input bias, row 1 the recurrent bias (reset_after=True only; a
# reset_after=False GRU has row 0 alone).  The recurrent candidate bias (-0.4)
# is far from zero, so folding it into the input bias shows in the outputs.
GRU_GATE_OFFSETS = ((-0.3, 0.5, 0.2), (0.25, -0.15, -0.4))


def _env():
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"  # reproducible float sums
    os.environ["PYTHONHASHSEED"] = "0"


_env()

import numpy as np  # noqa: E402


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import dump_fixture, float_inputs, log, tensor_json  # noqa: E402


# --------------------------------------------------------------------------
# Inputs


def masked_inputs(rng, shape):
    """Whole timesteps exactly 0.0: sample 0 at the start, sample 1 in the
    middle, sample 2 (if any) at the end."""
    x = float_inputs(rng, shape)
    t = shape[1]
    x[0, 0:2, :] = 0.0
    x[1, t // 2 - 1:t // 2 + 1, :] = 0.0
    if shape[0] > 2:
        x[2, t - 2:, :] = 0.0
    return x


def token_inputs(rng, shape, vocab=10):
    """int32 tokens 1..vocab-1 with 0 as padding: pre-padding in sample 0,
    post-padding in sample 1, a single 0 in the middle of sample 2."""
    b, t = shape
    x = rng.integers(1, vocab, size=shape).astype(np.int32)
    x[0, 0:3] = 0
    x[1, t - 3:] = 0
    if b > 2:
        x[2, t // 2] = 0
    return x


# --------------------------------------------------------------------------
# Weights


def cell_of(layer):
    """"LSTM" or "GRU" for a recurrent layer (the wrapped one for Bidirectional), else None."""
    cls = type(layer).__name__
    if cls == "Bidirectional":
        cls = type(layer.forward_layer).__name__
    return cls if cls in ("LSTM", "GRU") else None


def randomize(model, rng, scale=0.6, rscale=None):
    """Overwrite every weight from rng.  LSTM/GRU kernels uniform(-scale, scale),
    recurrent kernels uniform(-rscale, rscale), LSTM and GRU biases get a
    distinct offset per gate block (GRU: per bias row too) plus noise; other
    biases uniform(-0.5, 0.5)."""
    if rscale is None:
        rscale = scale
    seen_feature_layer = False
    for layer in model.layers:
        if not layer.weights:
            continue
        cls = type(layer).__name__
        cell = cell_of(layer)
        lstm_like = cls in ("LSTM", "Bidirectional")
        # LSTMs (GRUs) fed by another recurrent layer or an Embedding see
        # inputs within about +-1 instead of the raw +-4.5 inputs: double
        # their kernel scale so their gates still spread over a useful range.
        kscale = 2.0 * scale if (cell and seen_feature_layer) else scale
        if cls in ("LSTM", "GRU", "Bidirectional", "Embedding"):
            seen_feature_layer = True
        new = []
        for w, cur in zip(layer.weights, layer.get_weights()):
            n = w.name.split("/")[-1].split(":")[0]
            if n == "embeddings":
                v = rng.uniform(-1.0, 1.0, cur.shape)
            elif n == "recurrent_kernel":
                v = rng.uniform(-rscale, rscale, cur.shape)
            elif n == "kernel":
                v = rng.uniform(-kscale, kscale, cur.shape)
            elif n == "bias" and cell == "GRU":
                u = cur.shape[-1] // 3
                offsets = np.repeat(GRU_GATE_OFFSETS, u, axis=-1)  # [2, 3u]
                v = rng.uniform(-0.3, 0.3, cur.shape) + (offsets if cur.ndim == 2 else offsets[0])
            elif n == "bias" and lstm_like:
                u = cur.shape[0] // 4
                v = rng.uniform(-0.3, 0.3, cur.shape) + np.repeat(GATE_OFFSETS, u)
            elif n == "bias":
                v = rng.uniform(-0.5, 0.5, cur.shape)
            else:
                raise ValueError("unexpected weight %s in %s" % (w.name, layer.name))
            new.append(v.astype(cur.dtype))
        layer.set_weights(new)


def gate_diagnostics(K, model, x, tag):
    """Log how large the input part of the LSTM gate pre-activations gets
    (x @ W + b, from Keras-computed layer inputs).  Diagnostic only."""
    for layer in model.layers:
        if not cell_of(layer):
            continue
        try:
            lin = layer.input
            if isinstance(lin, (list, tuple)):  # Keras 3: [tensor, mask]
                lin = lin[0]
            probe = K.Model(model.inputs, lin)
            xin = np.asarray(probe.predict(x, verbose=0))
        except Exception as e:  # pragma: no cover - diagnostic only
            log("  diag %s %s: %s" % (tag, layer.name, e))
            continue
        ws = layer.get_weights()
        W = ws[0]
        names = [w.name.split("/")[-1].split(":")[0] for w in layer.weights[:3]]
        b = ws[names.index("bias")] if "bias" in names else 0.0
        if np.ndim(b) == 2:  # GRU reset_after: [input bias, recurrent bias]
            b = b[0]
        z = xin.reshape(-1, xin.shape[-1]) @ W + b
        U = ws[1]
        log("  diag %-24s %-14s |xW+b|max=%5.2f frac>4=%.3f  rowsum|U|max=%4.2f"
            % (tag, layer.name, np.abs(z).max(), np.mean(np.abs(z) > 4), np.abs(U).sum(0).max()))


# --------------------------------------------------------------------------
# Config helpers (names the importer sees)


def _entries(v):
    # Keras 3 writes a single input/output as a flat ["name", 0, 0].
    if v and isinstance(v[0], str):
        return [v]
    return list(v)


def act_name(a):
    if isinstance(a, dict):
        return a.get("config", {}).get("name") or a.get("class_name")
    return a


STATE_SUFFIX = {
    "LSTM": ["", "_state_h", "_state_c"],
    "Bidirectional": ["", "_fw_state_h", "_fw_state_c", "_bw_state_h", "_bw_state_c"],
    # A GRU returns h only.
    "GRU": ["", "_state_h"],
    "Bidirectional(GRU)": ["", "_fw_state_h", "_bw_state_h"],
}


def io_names(model):
    cfg = model.get_config()
    layers = cfg["layers"]
    cls_of = {l["config"]["name"]: l["class_name"] for l in layers}
    for l in layers:
        if l["class_name"] == "Bidirectional" and l["config"]["layer"]["class_name"] == "GRU":
            cls_of[l["config"]["name"]] = "Bidirectional(GRU)"
    if "input_layers" in cfg:
        ins = [e[0] for e in _entries(cfg["input_layers"])]
        outs = []
        for name, _node, idx in _entries(cfg["output_layers"]):
            outs.append(name + (STATE_SUFFIX.get(cls_of[name], [""])[idx] if idx else ""))
        api = "functional"
    else:
        assert layers[0]["class_name"] == "InputLayer"
        ins = [layers[0]["config"]["name"]]
        outs = [layers[-1]["config"]["name"]]
        api = "sequential"
    assert len(set(outs)) == len(outs), outs
    return ins, outs, api, cfg


def covers_from_config(cfg, api):
    tags = [api]

    def add(t):
        if t not in tags:
            tags.append(t)

    def lstm(c):
        add("lstm")
        for flag in ("return_sequences", "return_state", "go_backwards", "stateful", "unroll"):
            if c.get(flag):
                add(flag)
        if c.get("time_major"):
            add("time_major")
        if not c.get("use_bias", True):
            add("lstm_use_bias:false")
        if c.get("dropout") or c.get("recurrent_dropout"):
            add("lstm_dropout")
        for r in ("kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                  "activity_regularizer"):
            if c.get(r):
                add("lstm_regularizer")
        for r in ("kernel_constraint", "recurrent_constraint", "bias_constraint"):
            if c.get(r):
                add("lstm_constraint")
        add("activation:%s" % act_name(c.get("activation")))
        add("recurrent_activation:%s" % act_name(c.get("recurrent_activation")))

    def gru(c):
        # GRU tags carry a "gru" prefix so that no GRU stands in for an LSTM
        # in the coverage checks (and the other way round).
        add("gru")
        add("reset_after:%s" % ("true" if c.get("reset_after", True) else "false"))
        for flag in ("return_sequences", "return_state", "go_backwards", "stateful", "unroll"):
            if c.get(flag):
                add("gru:" + flag)
        if not c.get("use_bias", True):
            add("gru_use_bias:false")
        if c.get("dropout") or c.get("recurrent_dropout"):
            add("gru_dropout")
        add("gru_activation:%s" % act_name(c.get("activation")))
        add("gru_recurrent_activation:%s" % act_name(c.get("recurrent_activation")))

    def recurrent(cls, c):
        cells.append(cls)
        if len(cells) > 1 and cells[-2] != cls:
            add("stack:%s>%s" % (cells[-2].lower(), cls.lower()))
        (gru if cls == "GRU" else lstm)(c)

    cells = []

    def dense(c, prefix=""):
        add(prefix + "dense")
        a = act_name(c.get("activation"))
        add("dense_activation:%s" % a)
        if not c.get("use_bias", True):
            add("dense_use_bias:false")

    for l in cfg["layers"]:
        cls, c = l["class_name"], l["config"]
        if cls == "InputLayer":
            continue
        if cls in ("LSTM", "GRU"):
            recurrent(cls, c)
        elif cls == "Dense":
            dense(c)
        elif cls == "Bidirectional":
            inner_cls = c["layer"]["class_name"]
            prefix = "bidirectional" if inner_cls == "LSTM" else "bidirectional_gru"
            add(prefix)
            add("%s:%s" % (prefix, c.get("merge_mode")))
            inner = c["layer"]["config"]
            if inner.get("return_sequences"):
                add("%s:%s+return_sequences" % (prefix, c.get("merge_mode")))
            recurrent(inner_cls, inner)
        elif cls == "TimeDistributed":
            add("time_distributed")
            inner = c["layer"]
            if inner["class_name"] == "Dense":
                dense(inner["config"])
        elif cls == "Embedding":
            add("embedding")
            add("embedding:mask_zero" if c.get("mask_zero") else "embedding:no_mask")
        elif cls == "Masking":
            add("masking")
        elif cls == "Activation":
            add("activation_layer:%s" % act_name(c.get("activation")))
        elif str(l.get("module", "")).startswith("keras.src.ops"):
            # Keras 3 Functional models record mask computations as op nodes
            add("op:%s" % cls)
        else:
            add(cls.lower() if cls != "ActivityRegularization" else "activity_regularization")
    outs = cfg.get("output_layers")
    if outs and not isinstance(outs[0], str) and len(outs) > 1:
        add("multi_output")
    return tags


# --------------------------------------------------------------------------
# Model definitions.  Each builder gets the Keras module K and the major
# version v and returns an uncompiled model.  Keras 3 .h5 copies are made for
# the stems listed in K3_H5.


def L(K):
    return K.layers


def m_basic(K, v):
    l = L(K)
    return K.Sequential([K.Input(shape=(10, 3)), l.LSTM(5), l.Dense(2)])


def m_functional(K, v):
    l = L(K)
    x = K.Input(shape=(12, 4), name="features")
    h = l.LSTM(6, name="encoder")(x)
    y = l.Dense(3, activation="tanh" if v == 2 else "linear", name="head")(h)
    return K.Model(x, y, name="functional_basic")


def m_seq_timedist(K, v):
    l = L(K)
    if v == 2:
        lstm = l.LSTM(5, return_sequences=True, activation="softsign",
                      recurrent_activation="hard_sigmoid")
        td = l.TimeDistributed(l.Dense(2, activation="sigmoid"))
    else:
        lstm = l.LSTM(5, return_sequences=True, recurrent_activation="hard_sigmoid")
        td = l.TimeDistributed(l.Dense(2, activation="hard_sigmoid"))
    return K.Sequential([K.Input(shape=(9, 4)), lstm, td])


def m_seq_dense3d(K, v):
    # plain Dense on a 3-D sequence (applied per step); also use_bias=False on
    # both the LSTM and the Dense
    l = L(K)
    x = K.Input(shape=(11, 3))
    h = l.LSTM(6, return_sequences=True, use_bias=False)(x)
    h = l.Dense(3, activation="softplus" if v == 2 else "relu", use_bias=False)(h)
    y = l.Activation("softmax")(h)
    return K.Model(x, y)


def m_stacked(K, v):
    l = L(K)
    return K.Sequential([
        K.Input(shape=(10, 4)),
        # Names deliberately swapped: the first LSTM is called "lstm_1", the
        # second "lstm".  Keras 3 .keras weight paths do not use layer names
        # (they are /layers/lstm, /layers/lstm_1 by class and position), so
        # matching weights by layer name picks the wrong (mis-shaped) group.
        l.LSTM(6, return_sequences=True, name="lstm_1"),
        l.Dropout(0.25),
        l.LSTM(5, recurrent_activation="hard_sigmoid" if v == 2 else "sigmoid", name="lstm"),
        l.Dense(4, activation="softmax"),
    ])


def m_go_backwards(K, v):
    # a chain with two outputs: the go_backwards sequence itself (Keras returns
    # it in processing order, i.e. reversed relative to the input) and, stacked
    # on it, a go_backwards LSTM without return_sequences followed by Dense
    l = L(K)
    x = K.Input(shape=(8, 4))
    seq = l.LSTM(6, go_backwards=True, return_sequences=True)(x)
    last = l.LSTM(5, go_backwards=True)(seq)
    y2 = l.Dense(2)(last)
    return K.Model(x, [seq, y2])


def m_bidi_pair_a(K, v):
    # k2: concat(seq) -> sum(last); k3: sum(seq) -> concat(last)
    l = L(K)
    m1, m2 = ("concat", "sum") if v == 2 else ("sum", "concat")
    x = K.Input(shape=(10, 3), name="seq")
    h = l.Bidirectional(l.LSTM(5, return_sequences=True), merge_mode=m1)(x)
    h = l.Bidirectional(l.LSTM(4), merge_mode=m2)(h)
    return K.Model(x, l.Dense(2, name="out")(h))


def m_bidi_pair_b(K, v):
    # k2: mul(seq) -> ave(seq) -> TimeDistributed; k3: ave(seq) -> mul(last) -> Dense
    l = L(K)
    if v == 2:
        return K.Sequential([
            K.Input(shape=(9, 4)),
            l.Bidirectional(l.LSTM(5, return_sequences=True, recurrent_activation="hard_sigmoid"),
                            merge_mode="mul"),
            l.Bidirectional(l.LSTM(6, return_sequences=True), merge_mode="ave"),
            l.TimeDistributed(l.Dense(2)),
        ])
    return K.Sequential([
        K.Input(shape=(9, 4)),
        l.Bidirectional(l.LSTM(5, return_sequences=True, recurrent_activation="hard_sigmoid"),
                        merge_mode="ave"),
        l.Bidirectional(l.LSTM(6), merge_mode="mul"),
        l.Dense(2),
    ])


def m_state_dense(K, v):
    l = L(K)
    x = K.Input(shape=(10, 3), name="enc_in")
    out, h, c = l.LSTM(5, return_state=True, name="enc")(x)
    return K.Model(x, [l.Dense(2, name="proj")(out), h, c])


def m_state_raw(K, v):
    l = L(K)
    x = K.Input(shape=(10, 4))
    out, h, c = l.LSTM(5, return_state=True)(x)
    return K.Model(x, [out, h, c])


def m_state_seq(K, v):
    # return_sequences + return_state; k2 raw outputs, k3 Dense on the sequence
    l = L(K)
    x = K.Input(shape=(9, 3))
    out, h, c = l.LSTM(6, return_sequences=True, return_state=True)(x)
    if v == 3:
        out = l.TimeDistributed(l.Dense(2))(out)
    return K.Model(x, [out, h, c])


def m_bidi_state(K, v):
    l = L(K)
    x = K.Input(shape=(10, 3))
    outs = l.Bidirectional(l.LSTM(5, return_state=True), merge_mode="concat")(x)
    return K.Model(x, list(outs))


def m_embedding_mask(K, v):
    l = L(K)
    return K.Sequential([
        K.Input(shape=(10,), dtype="int32", name="tokens"),
        l.Embedding(input_dim=10, output_dim=4, mask_zero=True),
        l.LSTM(5),
        l.Dense(3),
    ])


def m_embedding_nomask(K, v):
    l = L(K)
    x = K.Input(shape=(12,), dtype="int32", name="tokens")
    e = l.Embedding(input_dim=10, output_dim=4)(x)
    h = l.LSTM(6)(e)
    return K.Model(x, l.Dense(2, activation="sigmoid" if v == 3 else "linear")(h))


def m_masking_seq(K, v):
    l = L(K)
    return K.Sequential([
        K.Input(shape=(10, 3)),
        l.Masking(mask_value=0.0),
        l.LSTM(5, return_sequences=True),
        l.TimeDistributed(l.Dense(2)),
    ])


def m_masking_bidi(K, v):
    # k2 Functional, k3 Sequential (a Keras 3 Functional model records the
    # mask computation as extra NotEqual/Any op nodes; see m_masking_last)
    l = L(K)
    if v == 3:
        return K.Sequential([
            K.Input(shape=(10, 3)),
            l.Masking(mask_value=0.0),
            l.Bidirectional(l.LSTM(5, return_sequences=True)),
            l.Dense(2),
        ])
    x = K.Input(shape=(10, 3))
    h = l.Masking(mask_value=0.0)(x)
    h = l.Bidirectional(l.LSTM(5, return_sequences=True))(h)
    return K.Model(x, l.Dense(2)(h))


def m_masking_last(K, v):
    # k2 Sequential, k3 Functional.  Keras 3 writes the Functional one with
    # "NotEqual" and "Any" operation nodes in its config (the mask is passed
    # to the LSTM as a `mask` kwarg); Keras 3 itself cannot load that config
    # from legacy .h5, so this model exists only as .keras in Keras 3.
    l = L(K)
    if v == 2:
        return K.Sequential([
            K.Input(shape=(10, 4)),
            l.Masking(mask_value=0.0),
            l.LSTM(6),
            l.Dense(3),
        ])
    x = K.Input(shape=(10, 4))
    h = l.Masking(mask_value=0.0)(x)
    h = l.LSTM(6)(h)
    return K.Model(x, l.Dense(3)(h))


def m_acts_a(K, v):
    l = L(K)
    if v == 2:
        return K.Sequential([
            K.Input(shape=(8, 3)),
            l.LSTM(5, activation="relu", recurrent_activation="sigmoid", return_sequences=True),
            l.LSTM(4, activation="swish", recurrent_activation="hard_sigmoid"),
            l.Activation("softsign"),
            l.Dense(3, activation="elu"),
        ])
    return K.Sequential([
        K.Input(shape=(8, 3)),
        l.LSTM(5, activation="gelu", recurrent_activation="hard_sigmoid", return_sequences=True),
        l.LSTM(4, activation="silu", recurrent_activation="sigmoid"),
        l.Activation("elu"),
        l.Dense(3, activation="swish"),  # Keras 3 stores this as "silu"
    ])


def m_acts_b(K, v):
    l = L(K)
    if v == 2:
        return K.Sequential([
            K.Input(shape=(8, 4)),
            l.LSTM(6, activation="elu", recurrent_activation="softsign", return_sequences=True),
            l.LSTM(4, activation="selu", recurrent_activation="tanh", return_sequences=True),
            l.LSTM(3, activation="sigmoid"),
            l.Activation("swish"),
            l.Dense(3, activation="gelu"),
        ])
    return K.Sequential([
        K.Input(shape=(8, 4)),
        l.LSTM(6, activation="relu", recurrent_activation="tanh", return_sequences=True),
        l.Activation("softplus"),
        l.LSTM(4, activation="selu", recurrent_activation="softsign", return_sequences=True),
        l.LSTM(3, activation="linear", recurrent_activation="hard_sigmoid"),
        l.Activation("hard_sigmoid"),
        l.Dense(3, activation="softsign"),
    ])


def m_acts_c(K, v):
    l = L(K)
    x = K.Input(shape=(8, 3))
    if v == 2:
        h = l.LSTM(5, activation="linear", recurrent_activation="hard_sigmoid",
                   return_sequences=True)(x)
        h = l.Activation("hard_sigmoid")(h)
        h = l.LSTM(4, activation="gelu", recurrent_activation="sigmoid", return_sequences=True)(h)
        h = l.LSTM(3, activation="softplus")(h)
        h = l.Dense(3, activation="selu")(h)
        y = l.Activation("tanh")(h)
    else:
        h = l.LSTM(5, activation="elu", recurrent_activation="sigmoid", return_sequences=True)(x)
        h = l.Activation("linear")(h)
        h = l.LSTM(4, activation="softplus", recurrent_activation="hard_sigmoid",
                   return_sequences=True)(h)
        h = l.Activation("gelu")(h)
        h = l.LSTM(3, activation="softsign", recurrent_activation="sigmoid")(h)
        h = l.Dense(4, activation="selu")(h)
        y = l.Activation("relu")(h)
    return K.Model(x, y)


def m_stateful(K, v):
    l = L(K)
    if v == 2:
        x = K.Input(batch_size=2, shape=(10, 3))
        h = l.LSTM(5, stateful=True)(x)
        return K.Model(x, l.Dense(2)(h))
    return K.Sequential([K.Input(batch_shape=(2, 10, 3)), l.LSTM(5, stateful=True), l.Dense(2)])


def m_inference_noops(K, v):
    l = L(K)
    reg, con, ini = K.regularizers, K.constraints, K.initializers
    x = K.Input(shape=(10, 4))
    h = l.GaussianNoise(0.3)(x)
    h = l.LSTM(6, return_sequences=True, dropout=0.3, recurrent_dropout=0.2, unroll=True,
               unit_forget_bias=True,
               kernel_regularizer=reg.L2(1e-3), recurrent_regularizer=reg.L1(1e-4),
               bias_regularizer=reg.L1L2(l1=1e-4, l2=1e-3), activity_regularizer=reg.L2(1e-4),
               kernel_constraint=con.MaxNorm(3.0), recurrent_constraint=con.UnitNorm(),
               bias_constraint=con.NonNeg(),
               kernel_initializer=ini.HeNormal(seed=1), recurrent_initializer=ini.Orthogonal(seed=2),
               bias_initializer="ones")(h)
    h = l.SpatialDropout1D(0.2)(h)
    h = l.GaussianDropout(0.2)(h)
    h = l.AlphaDropout(0.1)(h)
    h = l.LSTM(5, dropout=0.1, recurrent_dropout=0.1, unroll=True)(h)
    h = l.Dropout(0.5)(h)
    h = l.ActivityRegularization(l1=0.01, l2=0.01)(h)
    y = l.Dense(2, kernel_regularizer=reg.L2(1e-2), kernel_constraint=con.MaxNorm(2.0))(h)
    return K.Model(x, y)


# --------------------------------------------------------------------------
# GRU models (part "gru": `--update gru` regenerates only these).  A matrix
# over the options that combine, several per model: reset_after true/false,
# return_sequences, GRU and Bidirectional(GRU) in every merge mode,
# go_backwards, return_state (GRU and Bidirectional), Masking and
# Embedding(mask_zero) masks, stateful, use_bias=False, activations incl.
# hard_sigmoid (whose parameters differ between Keras 2 and 3), inference
# no-ops, and stacks mixing LSTM and GRU layers.  Each Keras version flips
# reset_after (and merge modes) relative to the other where a model has both.


def m_gru_stack(K, v):
    # GRU -> LSTM -> GRU: both stack directions, both reset modes, inference
    # no-ops on the first GRU
    l = L(K)
    first_after = v == 3
    extra = {"implementation": 1} if v == 2 else {}
    return K.Sequential([
        K.Input(shape=(10, 3)),
        l.GRU(6, return_sequences=True, reset_after=first_after, recurrent_activation="hard_sigmoid",
              dropout=0.2, recurrent_dropout=0.1, unroll=True, **extra),
        l.LSTM(5, return_sequences=True),
        l.GRU(4, reset_after=not first_after, activation="softsign"),
        l.Dense(2),
    ])


def m_gru_bidi_a(K, v):
    # k2: concat(seq, reset after) -> sum(last, reset before);
    # k3: sum(seq, reset before) -> concat(last, reset after)
    l = L(K)
    m1, m2 = ("concat", "sum") if v == 2 else ("sum", "concat")
    x = K.Input(shape=(10, 3), name="seq")
    h = l.Bidirectional(l.GRU(5, return_sequences=True, reset_after=v == 2), merge_mode=m1, name="bi_seq")(x)
    h = l.Bidirectional(l.GRU(4, reset_after=v == 3), merge_mode=m2, name="bi_last")(h)
    return K.Model(x, l.Dense(2, name="out")(h))


def m_gru_bidi_b(K, v):
    # k2: mul(seq) -> ave(seq) -> TimeDistributed; k3: ave(seq) -> mul(last) -> Dense
    l = L(K)
    if v == 2:
        return K.Sequential([
            K.Input(shape=(9, 4)),
            l.Bidirectional(l.GRU(5, return_sequences=True, recurrent_activation="hard_sigmoid",
                                  reset_after=False), merge_mode="mul"),
            l.Bidirectional(l.GRU(6, return_sequences=True), merge_mode="ave"),
            l.TimeDistributed(l.Dense(2)),
        ])
    return K.Sequential([
        K.Input(shape=(9, 4)),
        l.Bidirectional(l.GRU(5, return_sequences=True, recurrent_activation="hard_sigmoid"),
                        merge_mode="ave"),
        l.Bidirectional(l.GRU(6, reset_after=False), merge_mode="mul"),
        l.Dense(2),
    ])


def m_gru_state(K, v):
    # return_state on a go_backwards GRU returning sequences and on a
    # Bidirectional(GRU): outputs [seq, h, Dense(out), h_fw, h_bw]
    l = L(K)
    x = K.Input(shape=(9, 4), name="frames")
    seq, h = l.GRU(6, return_sequences=True, return_state=True, go_backwards=True,
                   reset_after=v == 3, name="enc")(x)
    out, h_fw, h_bw = l.Bidirectional(l.GRU(5, return_state=True, reset_after=v == 2),
                                      name="bi")(seq)
    return K.Model(x, [seq, h, l.Dense(3, name="proj")(out), h_fw, h_bw])


def m_gru_masking(K, v):
    # Masking -> GRU(seq) -> Bidirectional(GRU) -> Dense; the masked GRU
    # sequence is an output too (a masked step repeats the previous output).
    # Functional in both versions, so Keras 3 records NotEqual/Any op nodes
    # (which Keras 3 cannot load from .h5: .keras only).
    l = L(K)
    x = K.Input(shape=(10, 3))
    h = l.Masking(mask_value=0.0)(x)
    seq = l.GRU(6, return_sequences=True, reset_after=v == 2,
                activation="elu" if v == 2 else "tanh")(h)
    h = l.Bidirectional(l.GRU(4, reset_after=v == 3), merge_mode="concat")(seq)
    return K.Model(x, [seq, l.Dense(2)(h)])


def m_gru_embedding(K, v):
    # Embedding(mask_zero) -> GRU(use_bias=False) -> go_backwards GRU -> Dense
    l = L(K)
    return K.Sequential([
        K.Input(shape=(12,), dtype="int32", name="tokens"),
        l.Embedding(input_dim=10, output_dim=4, mask_zero=True),
        l.GRU(6, use_bias=False, return_sequences=True, reset_after=v == 3),
        l.GRU(5, go_backwards=True, reset_after=v == 2,
              activation="relu" if v == 2 else "softsign",
              recurrent_activation="sigmoid" if v == 2 else "hard_sigmoid"),
        l.Dense(3),
    ])


def m_gru_stateful(K, v):
    l = L(K)
    if v == 2:
        x = K.Input(batch_size=2, shape=(10, 3))
        h = l.GRU(5, stateful=True, return_sequences=True, reset_after=False)(x)
        h = l.GRU(4, stateful=True, activation="linear", recurrent_activation="hard_sigmoid")(h)
        return K.Model(x, l.Dense(2)(h))
    return K.Sequential([
        K.Input(batch_shape=(2, 10, 3)),
        l.GRU(5, stateful=True, return_sequences=True),
        l.GRU(4, stateful=True, reset_after=False, activation="linear",
              recurrent_activation="hard_sigmoid"),
        l.Dense(2),
    ])


# (stem, builder, input kind, batch, kernel scale, recurrent scale, versions)
GRU_MODELS = [
    ("gru_stack", m_gru_stack, "float", 3, 0.6, 0.6, "23"),
    ("gru_bidi_a", m_gru_bidi_a, "float", 3, 0.6, 0.6, "23"),
    ("gru_bidi_b", m_gru_bidi_b, "float", 2, 0.6, 0.6, "23"),
    ("gru_state", m_gru_state, "float", 2, 0.6, 0.6, "23"),
    ("gru_masking", m_gru_masking, "masked", 3, 0.5, 0.5, "23"),
    ("gru_embedding", m_gru_embedding, "tokens", 3, 0.5, 0.5, "23"),
    ("gru_stateful", m_gru_stateful, "float", 2, 0.5, 0.5, "23"),
]


# (stem, builder, input kind, batch, kernel scale, recurrent scale, versions)
MODELS = [
    ("basic", m_basic, "float", 2, 0.6, 0.6, "23"),
    ("functional_basic", m_functional, "float", 3, 0.6, 0.6, "23"),
    ("seq_timedist", m_seq_timedist, "float", 3, 0.6, 0.6, "23"),
    ("seq_dense3d", m_seq_dense3d, "float", 2, 0.6, 0.6, "23"),
    ("stacked", m_stacked, "float", 3, 0.6, 0.6, "23"),
    ("go_backwards", m_go_backwards, "float", 3, 0.6, 0.6, "23"),
    ("bidi_pair_a", m_bidi_pair_a, "float", 3, 0.6, 0.6, "23"),
    ("bidi_pair_b", m_bidi_pair_b, "float", 2, 0.6, 0.6, "23"),
    # [Dense(out), h, c] in Keras 2, [out, h, c] in Keras 3
    ("state_dense", m_state_dense, "float", 2, 0.6, 0.6, "2"),
    ("state_raw", m_state_raw, "float", 3, 0.6, 0.6, "3"),
    ("state_seq", m_state_seq, "float", 2, 0.6, 0.6, "23"),
    ("bidi_state", m_bidi_state, "float", 3, 0.6, 0.6, "23"),
    ("embedding_mask", m_embedding_mask, "tokens", 3, 0.6, 0.6, "23"),
    ("embedding_nomask", m_embedding_nomask, "tokens", 3, 0.6, 0.6, "23"),
    ("masking_seq", m_masking_seq, "masked", 3, 0.6, 0.6, "23"),
    ("masking_bidi", m_masking_bidi, "masked", 3, 0.6, 0.6, "23"),
    ("masking_last", m_masking_last, "masked", 3, 0.6, 0.6, "23"),
    # unbounded LSTM activations (relu/elu/selu/linear/softplus): short
    # sequences and smaller weights keep the values moderate
    ("acts_a", m_acts_a, "float", 2, 0.4, 0.4, "23"),
    ("acts_b", m_acts_b, "float", 3, 0.4, 0.4, "23"),
    ("acts_c", m_acts_c, "float", 2, 0.4, 0.4, "23"),
    ("stateful", m_stateful, "float", 2, 0.6, 0.6, "23"),
    ("inference_noops", m_inference_noops, "float", 3, 0.6, 0.6, "23"),
]

# Extra manifest tags for traps that are not visible from the layer configs.
EXTRA_COVERS = {
    "functional_basic": ["custom_layer_names"],
    "bidi_pair_a": ["custom_layer_names"],
    "state_dense": ["custom_layer_names"],
    "stacked": ["swapped_layer_names"],
    "gru_bidi_a": ["custom_layer_names"],
    "gru_state": ["custom_layer_names"],
}

# Keras 3 models also written in the legacy HDF5 format (all are in .keras).
# Kept to a handful because every HDF5 file costs ~15-40 KB (budget: 2 MB).
K3_H5 = {"basic", "stacked", "bidi_pair_a", "state_seq", "embedding_mask",
         "masking_bidi", "gru_stack", "gru_bidi_a", "gru_state"}

# The model lists by part: a full run writes both; `--update gru` rewrites
# only the GRU part's files and manifest entries.
PARTS = {"lstm": MODELS, "gru": GRU_MODELS}


# --------------------------------------------------------------------------
# Keras half (runs inside a child process)


class Half:
    def __init__(self, v):
        self.v = v
        if v == 2:
            import tf_keras as K
            self.framework = "tf-keras"
            self.producer = {"framework": "tf-keras", "version": K.__version__, "script": SCRIPT}
        else:
            import keras as K
            self.framework = "keras"
            self.producer = {"framework": "keras", "version": K.__version__,
                             "backend": K.backend.backend(), "script": SCRIPT}
        import tensorflow as tf
        self.tf = tf
        self.K = K
        self.manifest = []

    def fresh(self, seed):
        self.K.backend.clear_session()
        self.K.utils.set_random_seed(seed)

    def load(self, path):
        return self.K.models.load_model(path, compile=False)

    def save(self, model, path):
        if os.path.exists(path):
            os.remove(path)
        if self.v == 2:
            model.save(path, include_optimizer=False)
        else:
            model.save(path)

    def predict(self, model, x, batch):
        y = model.predict(x, batch_size=batch, verbose=0)
        if not isinstance(y, (list, tuple)):
            y = [y]
        return [np.asarray(a) for a in y]

    def write_fixture(self, fx_path, model_file, ins, xs, outs, ys):
        fx = {
            "model": model_file,
            "producer": self.producer,
            "tolerance": TOLERANCE,
            "inputs": [tensor_json(n, a) for n, a in zip(ins, xs)],
            "outputs": [tensor_json(n, a) for n, a in zip(outs, ys)],
        }
        assert len(ins) == len(xs) and len(outs) == len(ys), (ins, outs, len(ys))
        dump_fixture(fx_path, fx)
        return fx

    def add_manifest(self, fixture, model_file, fmt, api, covers):
        self.manifest.append({"fixture": fixture, "model": model_file, "keras": str(self.v),
                              "format": fmt, "api": api, "covers": covers})

    def build(self, stem, builder, kind, batch, scale, rscale):
        seed = zlib.crc32(("k%d:%s" % (self.v, stem)).encode()) & 0x7FFFFFFF
        self.fresh(seed)
        model = builder(self.K, self.v)
        rng = np.random.default_rng(seed)
        randomize(model, rng, scale, rscale)
        shape = tuple(model.inputs[0].shape)
        rng_in = np.random.default_rng(seed + 1)
        if kind == "tokens":
            x = token_inputs(rng_in, (batch, shape[1]))
        elif kind == "masked":
            x = masked_inputs(rng_in, (batch, shape[1], shape[2]))
        else:
            x = float_inputs(rng_in, (batch, shape[1], shape[2]))
        return model, x

    def one(self, stem, builder, kind, batch, scale, rscale):
        model, x = self.build(stem, builder, kind, batch, scale, rscale)
        ins, outs, api, cfg = io_names(model)
        covers = covers_from_config(cfg, api) + EXTRA_COVERS.get(stem, [])
        if kind == "tokens":
            covers.append("int_inputs")
        if kind == "masked":
            covers.append("masked_timesteps")
        prefix = "k%d_%s" % (self.v, stem)
        formats = ["h5"] if self.v == 2 else (["keras", "h5"] if stem in K3_H5 else ["keras"])
        saved = []
        for fmt in formats:
            fname = prefix + "." + fmt
            self.save(model, os.path.join(KERAS_DIR, fname))
            saved.append((fmt, fname))
        if "stateful" not in stem:  # a probe's predict would advance the states
            gate_diagnostics(self.K, model, x, prefix)
        y_ref = self.predict(model, x, batch)  # in-memory model (fresh state)
        results = []
        for fmt, fname in saved:
            path = os.path.join(KERAS_DIR, fname)
            m2 = self.load(path)
            ins2, outs2, _, _ = io_names(m2)
            assert (ins2, outs2) == (ins, outs), (ins2, outs2, ins, outs)
            y = self.predict(m2, x, batch)
            for a, b in zip(y, y_ref):
                if not np.allclose(a, b, rtol=1e-6, atol=1e-6):
                    raise RuntimeError("%s: reloaded model differs from in-memory model" % fname)
            fx_name = prefix + ("_h5" if (self.v == 3 and fmt == "h5") else "") + ".fixture.json"
            self.write_fixture(os.path.join(KERAS_DIR, fx_name), fname, ins, [x], outs, y)
            self.add_manifest(fx_name, fname, fmt, api, covers)
            results.append((fname, y))
        mx = max(float(np.abs(a).max()) for a in results[0][1])
        log("  %-30s %-10s outputs=%s max|y|=%.3f" % (prefix, ",".join(formats), outs, mx))
        return model, x, results

    # -- string-attribute traps ------------------------------------------------

    def string_traps(self, src_name, x, batch):
        import h5py
        src = os.path.join(KERAS_DIR, src_name)
        stem = src_name[:-3]
        with h5py.File(src, "r") as f:
            native = {k: (f.attrs.get_id(k).dtype.str, h5py.check_string_dtype(f.attrs.get_id(k).dtype))
                      for k in f.attrs.keys()}
            attrs = {k: f.attrs[k] for k in f.attrs.keys()}
        log("  native root attrs of %s: %s" % (src_name, native))
        forms = ["fixedstr", "varstr"] + (["fixedstr_all"] if self.v == 2 else [])
        for form in forms:
            fname = "%s_%s.h5" % (stem, form)
            dst = os.path.join(KERAS_DIR, fname)
            shutil.copyfile(src, dst)
            with h5py.File(dst, "r+") as f:
                for k in ("model_config", "keras_version", "backend"):
                    if k not in attrs:
                        continue
                    val = attrs[k]
                    s = val.decode("utf-8") if isinstance(val, bytes) else str(val)
                    del f.attrs[k]
                    if form.startswith("fixedstr"):
                        f.attrs.create(k, np.bytes_(s.encode("utf-8")))
                    else:
                        f.attrs.create(k, s, dtype=h5py.string_dtype())
                if form == "fixedstr_all":
                    # like files written with h5py 2.x: every string attribute
                    # below /model_weights (layer_names, weight_names,
                    # keras_version, backend) fixed-length too
                    groups = [f["model_weights"]]
                    f["model_weights"].visititems(
                        lambda _n, o: groups.append(o) if isinstance(o, h5py.Group) else None)
                    for g in groups:
                        for k in list(g.attrs.keys()):
                            val = g.attrs[k]
                            if h5py.check_string_dtype(g.attrs.get_id(k).dtype) is None:
                                continue
                            del g.attrs[k]
                            if isinstance(val, np.ndarray):
                                items = [v.encode() if isinstance(v, str) else bytes(v) for v in val.ravel()]
                                g.attrs.create(k, np.array(items, dtype="S%d" % max(1, max(map(len, items)))))
                            else:
                                sv = val if isinstance(val, bytes) else str(val).encode()
                                g.attrs.create(k, np.bytes_(sv))
            m = self.load(dst)
            ins, outs, api, cfg = io_names(m)
            y = self.predict(m, x, batch)
            fx_name = "%s_%s.fixture.json" % (stem, form)
            self.write_fixture(os.path.join(KERAS_DIR, fx_name), fname, ins, [x], outs, y)
            covers = covers_from_config(cfg, api) + ["h5_string_attrs:%s" % form]
            self.add_manifest(fx_name, fname, "h5", api, covers)
            log("  %-30s string trap written" % fname)

    # -- bad inputs -----------------------------------------------------------------

    def bad_models(self):
        K, l = self.K, self.K.layers
        os.makedirs(BAD_DIR, exist_ok=True)

        def conv():
            x = K.Input(shape=(10, 3))
            h = l.Conv1D(4, 3, activation="relu")(x)
            h = l.LSTM(5)(h)
            return K.Model(x, l.Dense(2)(h))

        self.fresh(11)
        if self.v == 2:
            m = conv()
            randomize(m, np.random.default_rng(11))
            self.save(m, os.path.join(BAD_DIR, "k2_conv1d.h5"))

            self.fresh(12)
            x = K.Input(shape=(2, 3))  # (timesteps, batch, features) when time_major
            h = l.LSTM(5, time_major=True, return_sequences=True)(x)
            m = K.Model(x, l.Dense(2)(h))
            self.save(m, os.path.join(BAD_DIR, "k2_time_major.h5"))

            self.fresh(13)
            x = K.Input(shape=(10, 3))
            a = l.LSTM(5, name="branch_a")(x)
            b = l.LSTM(4, name="branch_b", go_backwards=True)(x)
            h = l.Concatenate()([a, b])
            m = K.Model(x, l.Dense(2)(h))
            randomize(m, np.random.default_rng(13))
            self.save(m, os.path.join(BAD_DIR, "k2_branches.h5"))
        else:
            m = conv()
            randomize(m, np.random.default_rng(11))
            self.save(m, os.path.join(BAD_DIR, "k3_conv1d.keras"))

            self.fresh(14)
            m = K.Sequential([K.Input(shape=(10, 3)), l.LSTM(5, activation="mish"), l.Dense(2)])
            randomize(m, np.random.default_rng(14))
            self.save(m, os.path.join(BAD_DIR, "k3_unsupported_activation.keras"))

            # a .keras zip without model.weights.h5
            src = os.path.join(KERAS_DIR, "k3_basic.keras")
            dst = os.path.join(BAD_DIR, "no_weights.keras")
            with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_STORED) as zout:
                for name in ("config.json", "metadata.json"):
                    zout.writestr(name, zin.read(name))

    def run(self, parts=tuple(PARTS)):
        """Writes the models of `parts`; the traps and bad inputs only with the "lstm" part."""
        os.makedirs(KERAS_DIR, exist_ok=True)
        keep = {}
        for part in parts:
            for stem, builder, kind, batch, scale, rscale, versions in PARTS[part]:
                if str(self.v) not in versions:
                    continue
                model, x, results = self.one(stem, builder, kind, batch, scale, rscale)
                keep[stem] = (x, batch, results)
        if "lstm" not in parts:
            return self.manifest
        if self.v == 2:
            self.string_traps("k2_basic.h5", keep["basic"][0], keep["basic"][1])
            # a fixture that does not fit the basic k2 model: 4 features instead of 3
            x, batch, results = keep["basic"]
            rng = np.random.default_rng(99)
            xbad = float_inputs(rng, (x.shape[0], x.shape[1], 4))
            model = self.load(os.path.join(KERAS_DIR, "k2_basic.h5"))
            ins, outs, _, _ = io_names(model)
            os.makedirs(BAD_DIR, exist_ok=True)
            self.write_fixture(os.path.join(BAD_DIR, "mismatched.fixture.json"),
                               "../keras/k2_basic.h5", ins, [xbad], outs, results[0][1])
        else:
            self.string_traps("k3_basic.h5", keep["basic"][0], keep["basic"][1])
        self.bad_models()
        return self.manifest


# --------------------------------------------------------------------------
# Driver


def check_versions():
    from importlib import metadata
    bad = []
    for dist, want in PINS.items():
        try:
            got = metadata.version(dist)
        except metadata.PackageNotFoundError:
            got = None
        if got != want:
            bad.append("%s %s (want %s)" % (dist, got, want))
    return bad


def write_plain_bad_files():
    import h5py
    os.makedirs(BAD_DIR, exist_ok=True)
    with h5py.File(os.path.join(BAD_DIR, "not_keras.h5"), "w") as f:
        g = f.create_group("measurements")
        g.create_dataset("values", data=np.arange(12, dtype=np.float32).reshape(3, 4))
        f.attrs["description"] = "an HDF5 file that is not a Keras model"
    with open(os.path.join(KERAS_DIR, "k2_basic.h5"), "rb") as f:
        head = f.read(1500)
    with open(os.path.join(BAD_DIR, "truncated.h5"), "wb") as f:
        f.write(head)
    open(os.path.join(BAD_DIR, "empty.h5"), "wb").close()
    with open(os.path.join(BAD_DIR, "random.bin"), "wb") as f:
        f.write(np.random.default_rng(512).integers(0, 256, 512, dtype=np.uint8).tobytes())


def clean():
    for d, exts in ((KERAS_DIR, (".h5", ".keras", ".fixture.json", "manifest.json")),
                    (BAD_DIR, (".h5", ".keras", ".fixture.json", ".bin"))):
        if os.path.isdir(d):
            for n in os.listdir(d):
                if n.endswith(exts):
                    os.remove(os.path.join(d, n))


def run_halves(args, parts):
    """Runs the Keras 2 and the Keras 3 half as child processes (with `parts`,
    only those parts' models) and returns their manifest entries."""
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for which in ("keras2", "keras3"):
            out = os.path.join(tmp, which + ".json")
            log("== %s%s" % (which, " (%s)" % ", ".join(parts) if parts else ""))
            cmd = [sys.executable, os.path.abspath(__file__), "--only", which, "--manifest-out", out]
            for part in parts or []:
                cmd += ["--part", part]
            if args.any_version:
                cmd.append("--any-version")
            subprocess.run(cmd, check=True)
            with open(out) as f:
                manifest += json.load(f)
    return manifest


def write_manifest(manifest):
    manifest.sort(key=lambda e: e["fixture"])
    with open(os.path.join(KERAS_DIR, "manifest.json"), "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(e) for e in manifest) + "\n]\n")


def part_prefixes(part):
    """The file-name prefixes of a part's models: k2_<stem>, k3_<stem>."""
    return tuple("k%d_%s" % (v, stem) for stem, *_rest, versions in PARTS[part] for v in (2, 3)
                 if str(v) in versions)


def update(args):
    """--update: delete and rewrite only some parts' model and fixture files
    (never the "lstm" part, which owns the traps and bad inputs) and replace
    their manifest entries; nothing else is touched."""
    prefixes = tuple(p for part in args.update for p in part_prefixes(part))

    def owned(name):
        return any(name == p + ext or name.startswith(p + "_h5.") or name == p + ".fixture.json"
                   for p in prefixes for ext in (".h5", ".keras"))

    for n in os.listdir(KERAS_DIR):
        if owned(n):
            os.remove(os.path.join(KERAS_DIR, n))
    with open(os.path.join(KERAS_DIR, "manifest.json")) as f:
        manifest = [e for e in json.load(f) if not owned(e["fixture"])]
    fresh = run_halves(args, parts=args.update)
    assert all(owned(e["fixture"]) and owned(e["model"]) for e in fresh), "a part wrote another part's files"
    write_manifest(manifest + fresh)
    log("updated %s: %d fixtures; the manifest has %d" % (", ".join(args.update), len(fresh),
                                                         len(manifest) + len(fresh)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["keras2", "keras3"],
                    help="run one half in this process (used by the driver)")
    ap.add_argument("--manifest-out", help="with --only: write manifest entries here")
    ap.add_argument("--part", choices=list(PARTS), action="append",
                    help="with --only: write only this part's models (repeatable; default: all)")
    ap.add_argument("--update", choices=[p for p in PARTS if p != "lstm"], action="append",
                    help="regenerate only this part's models and fixtures in both Keras versions "
                         "(repeatable), keeping every other file, and replace its manifest entries")
    ap.add_argument("--any-version", action="store_true", help="skip the version pin check")
    args = ap.parse_args()

    if not args.any_version:
        bad = check_versions()
        if bad:
            sys.exit("generate.py: wrong package versions: %s; see Fixtures/requirements.txt"
                     % ", ".join(bad))

    if args.only:
        half = Half(2 if args.only == "keras2" else 3)
        entries = half.run(tuple(args.part or PARTS))
        if args.manifest_out:
            with open(args.manifest_out, "w") as f:
                json.dump(entries, f)
        return

    if args.update:
        update(args)
        return

    clean()
    os.makedirs(KERAS_DIR, exist_ok=True)
    os.makedirs(BAD_DIR, exist_ok=True)
    manifest = run_halves(args, parts=None)
    write_plain_bad_files()
    write_manifest(manifest)
    log("wrote %d fixtures" % len(manifest))
    # The files that make libhdf5 itself crash or hang are byte patches of
    # k2_basic.h5 (see corrupt.py); it refuses if k2_basic.h5 changed.
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "corrupt.py")],
                   check=False)


if __name__ == "__main__":
    main()
