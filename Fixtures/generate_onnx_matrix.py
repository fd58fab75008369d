#!/usr/bin/env python3
"""Generate the ONNX exporter matrix under Fixtures/onnx/matrix/: one small
model and one lstmc fixture per cell of a matrix over the options of the real
exporters, every expected output computed by ONNX Runtime on the committed
model file (and checked against the framework's own forward pass, 1e-5).

    /work/venv/onnx/bin/python Fixtures/generate_onnx_matrix.py [--only PART]

The venv and pins are those of generate_onnx.py (Fixtures/requirements-onnx.txt);
--any-version skips the pin check.  Each part runs in a child process of its
own so that TensorFlow and torch never share one:

  k2       tf2onnx.convert.from_keras on tf_keras (Keras 2) LSTM models
  k2_gru   the same for GRU models
  k3       Keras 3 (TensorFlow backend) `model.export(format="onnx")`, which
           converts through tf2onnx.convert.from_function (tf2onnx 1.17's
           from_keras cannot read a Keras 3 model: KeyError 'keras_tensor_1')
  torch    torch.onnx.export, TorchScript (dynamo=False) and dynamo (dynamo=True)
           exporters, nn.LSTM and nn.GRU

The script deletes the cells of the parts it runs and rewrites them and their
entries in manifest.json (a full run rewrites everything).  A cell the
exporter cannot export is recorded in the manifest with `export_error` and has
no files.

Cells are small: input size 3, hidden 4, batch 2, 8 or 9 steps; weights random
and non-saturating, each gate's bias offset differently (generate_onnx.py's
offsets), the GRU candidate's recurrent bias far from its input bias.  The
dynamo exporter's per-node `metadata_props` (stack traces holding this
script's path) are removed before saving: they are not part of the graph's
meaning and would make each model 5-10 times larger.

The torch matrix is not the full cross product: per exporter and cell, every
(num_layers, bidirectional, head) triple is a cell, and batch_first and h0/c0
rotate through their four combinations across the heads of each (num_layers,
bidirectional) pair with an offset per pair, so every pair of options (and
every (num_layers, bidirectional, batch_first, h0) quadruple) occurs.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import generate_onnx as g  # noqa: E402  (sets the environment: threads, seeds, legacy Keras for tf_keras)
from fixture_io import dump_fixture, float_inputs, log, tensor_json  # noqa: E402

np = g.np
MATRIX_DIR = os.path.join(HERE, "onnx", "matrix")
SCRIPT = "Fixtures/generate_onnx_matrix.py"
I, H, BATCH, STEPS = 3, 4, 2, 8
VOCAB = 12
MERGES = ("concat", "sum", "mul", "ave")
FOLLOWERS = ("none", "dense", "td", "rnn", "softmax")


class Writer:
    def __init__(self):
        self.manifest = []

    def cell(self, stem, part, exporter, options, model_path, feeds, outputs, framework_check):
        import onnx
        import onnxruntime as ort
        model = onnx.load(model_path)
        assert g.real_inputs(model) == [n for n, _ in feeds], (g.real_inputs(model), feeds)
        fx = {
            "model": os.path.basename(model_path),
            "producer": {"framework": "onnxruntime", "version": ort.__version__, "script": SCRIPT,
                         "exporter": exporter},
            "tolerance": g.TOLERANCE,
            "inputs": [tensor_json(n, a) for n, a in feeds],
            "outputs": [tensor_json(n, a) for n, a in outputs],
        }
        dump_fixture(os.path.join(MATRIX_DIR, stem + ".fixture.json"), fx)
        entry = {"stem": stem, "part": part, "exporter": exporter, "options": options,
                 "opset": g.default_opset(model), "ops": " ".join(sorted(set(g.op_list(model)))),
                 "checked_against": framework_check}
        self.manifest.append(entry)
        log("  %-44s %s" % (stem, entry["ops"][:100]))

    def failed(self, stem, part, exporter, options, error):
        text = ("%s: %s" % (type(error).__name__, error)).strip().splitlines()[0][:300]
        self.manifest.append({"stem": stem, "part": part, "exporter": exporter, "options": options,
                              "export_error": text})
        log("  %-44s EXPORT FAILED %s" % (stem, text))


def compare(stem, outs, ref, framework):
    for (n, a), r in zip(outs, ref):
        r = np.asarray(r)
        assert a.shape == r.shape, (stem, n, a.shape, r.shape)
        d = float(np.abs(a - r).max())
        if d > 1e-5:
            raise SystemExit("%s: ORT and %s differ on %s by %g" % (stem, framework, n, d))


# --------------------------------------------------------------------------
# Keras (tf_keras through tf2onnx.convert.from_keras; Keras 3 through model.export)


def keras_randomize(model, rng):
    """Random non-saturating weights: kernels +-0.45 (+-0.9 after the first
    recurrent layer, whose inputs are bounded), per-gate bias offsets."""
    seen_rnn = False
    for layer in model.layers:
        if not layer.weights:
            continue
        cls = type(layer).__name__
        inner = layer
        if cls == "Bidirectional":
            inner = layer.forward_layer
        elif cls == "TimeDistributed":
            inner = layer.layer
        kind = type(inner).__name__
        rnn = kind in ("LSTM", "GRU")
        new = []
        for wt, cur in zip(layer.weights, layer.get_weights()):
            n = (wt.path if hasattr(wt, "path") else wt.name).split("/")[-1].split(":")[0]
            if n == "recurrent_kernel":
                v = rng.uniform(-0.45, 0.45, cur.shape)
            elif n == "kernel" and rnn:
                s = 0.9 if seen_rnn else 0.45
                v = rng.uniform(-s, s, cur.shape)
            elif n == "bias" and kind == "GRU":
                units = cur.shape[-1] // 3
                rows = [g.gru_bias(rng, units, g.ONNX_GRU_ORDER, rec) for rec in (False, True)]
                v = np.stack(rows) if cur.ndim == 2 else rows[0]
            elif n == "bias" and rnn:
                v = g.lstm_bias(rng, cur.shape[0] // 4, g.KERAS_OFFSETS)
            elif n == "embeddings":
                v = rng.uniform(-1.5, 1.5, cur.shape)
            else:
                v = rng.uniform(-0.5, 0.5, cur.shape)
            new.append(v.astype(cur.dtype))
        layer.set_weights(new)
        if rnn:
            seen_rnn = True


def keras_cells(cell):
    """(stem, options, builder(K, l) -> model) of the Keras 2 matrix for `cell` ("LSTM" or "GRU")."""
    cells = []
    rnn_name = cell.lower()

    def seq(K, l, layers, embedding=False, steps=STEPS):
        if embedding:
            head = [K.Input(shape=(steps,), dtype="int32", name="tokens"), l.Embedding(VOCAB, I, name="embedding")]
        else:
            head = [K.Input(shape=(steps, I), name="features")]
        return K.Sequential(head + layers)

    def rnn(l, units=H, **kw):
        return getattr(l, cell)(units, **kw)

    def follower(l, name, rs):
        if name == "none":
            return []
        if name == "dense":
            return [l.Dense(2, name="dense")]
        if name == "td":
            return [l.TimeDistributed(l.Dense(2), name="time_distributed")]
        if name == "rnn":
            return [rnn(l, 3, name="%s_next" % rnn_name)]
        return [l.Dense(3, activation="softmax", name="dense")]

    def followers(rs):
        return FOLLOWERS if rs else ("none", "dense", "softmax")

    # Bidirectional x merge mode x return_sequences x follower
    for merge in MERGES:
        for rs in (True, False):
            for f in followers(rs):
                if cell == "GRU" and f not in ("dense", "none"):
                    continue
                stem = "%s_bidi_%s_%s_%s" % (rnn_name, merge, "seq" if rs else "last", f)
                opts = {"cell": cell, "bidirectional": True, "merge": merge, "return_sequences": rs, "follower": f}
                cells.append((stem, opts, lambda K, l, merge=merge, rs=rs, f=f: seq(
                    K, l, [l.Bidirectional(rnn(l, return_sequences=rs), merge_mode=merge, name="bidirectional")]
                    + follower(l, f, rs))))
    # go_backwards x return_sequences x follower
    for gb in (False, True):
        for rs in (True, False):
            for f in followers(rs):
                if cell == "GRU" and not gb:
                    continue
                if cell == "GRU" and f not in ("dense", "td", "none"):
                    continue
                stem = "%s_%s_%s_%s" % (rnn_name, "gb" if gb else "fw", "seq" if rs else "last", f)
                opts = {"cell": cell, "go_backwards": gb, "return_sequences": rs, "follower": f}
                cells.append((stem, opts, lambda K, l, gb=gb, rs=rs, f=f: seq(
                    K, l, [rnn(l, go_backwards=gb, return_sequences=rs, name=rnn_name)] + follower(l, f, rs))))

    # return_state (functional models)
    def state(K, l, gb=False, rs=False):
        x = K.Input(shape=(STEPS, I), name="features")
        out = rnn(l, return_state=True, return_sequences=rs, go_backwards=gb, name="enc")(x)
        o, states = out[0], out[1:]
        return K.Model(x, [l.Dense(2, name="proj")(o)] + list(states))

    def bidi_state(K, l, merge="concat", rs=False):
        x = K.Input(shape=(STEPS, I), name="features")
        out = l.Bidirectional(rnn(l, return_state=True, return_sequences=rs), merge_mode=merge, name="bi")(x)
        return K.Model(x, [out[0]] + list(out[1:]))

    for gb, rs in ((False, False), (False, True), (True, False)):
        stem = "%s_state_%s_%s" % (rnn_name, "gb" if gb else "fw", "seq" if rs else "last")
        cells.append((stem, {"cell": cell, "return_state": True, "go_backwards": gb, "return_sequences": rs},
                      lambda K, l, gb=gb, rs=rs: state(K, l, gb, rs)))
    for merge, rs in (("concat", False), ("sum", True)):
        stem = "%s_state_bidi_%s_%s" % (rnn_name, merge, "seq" if rs else "last")
        cells.append((stem, {"cell": cell, "return_state": True, "bidirectional": True, "merge": merge,
                             "return_sequences": rs},
                      lambda K, l, merge=merge, rs=rs: bidi_state(K, l, merge, rs)))

    # stacks of 2-3 layers
    def bidi(l, merge, rs, **kw):
        return l.Bidirectional(rnn(l, return_sequences=rs, **kw), merge_mode=merge)

    stacks = [
        ("stack2", lambda K, l: seq(K, l, [rnn(l, return_sequences=True), rnn(l, 3), l.Dense(2)])),
        ("stack3_gb", lambda K, l: seq(K, l, [rnn(l, return_sequences=True),
                                               rnn(l, return_sequences=True, go_backwards=True),
                                               rnn(l, 3), l.Dense(2)])),
        ("stack3_bidi", lambda K, l: seq(K, l, [bidi(l, "concat", True), bidi(l, "sum", True),
                                                 bidi(l, "ave", False), l.Dense(2)])),
        ("stack3_mix", lambda K, l: seq(K, l, [rnn(l, return_sequences=True), bidi(l, "mul", True),
                                                rnn(l, 3, return_sequences=True),
                                                l.TimeDistributed(l.Dense(2))])),
    ]
    for name, builder in stacks:
        cells.append(("%s_%s" % (rnn_name, name), {"cell": cell, "stack": name}, builder))

    # with an Embedding in front
    embeds = [
        ("emb_last_dense", lambda K, l: seq(K, l, [rnn(l), l.Dense(2)], embedding=True)),
        ("emb_bidi_concat_seq_td", lambda K, l: seq(
            K, l, [bidi(l, "concat", True), l.TimeDistributed(l.Dense(2))], embedding=True)),
        ("emb_bidi_sum_last", lambda K, l: seq(K, l, [bidi(l, "sum", False)], embedding=True)),
        ("emb_gb_seq_rnn", lambda K, l: seq(
            K, l, [rnn(l, return_sequences=True, go_backwards=True), rnn(l, 3)], embedding=True)),
    ]
    for name, builder in embeds:
        cells.append(("%s_%s" % (rnn_name, name), {"cell": cell, "embedding": True, "case": name}, builder))
    if cell == "GRU":
        cells = [c for c in cells if not c[0].startswith("gru_emb_") or c[0] == "gru_emb_last_dense"]
    return cells


def keras3_cells():
    """A slice of the Keras 2 matrix for Keras 3: Bidirectional x merge x
    return_sequences (followers rotating), go_backwards, return_state, a stack,
    an Embedding, and Bidirectional(GRU)."""
    picked = []
    lstm = dict((stem, (o, b)) for stem, o, b in keras_cells("LSTM"))
    gru = dict((stem, (o, b)) for stem, o, b in keras_cells("GRU"))
    rotate = {True: ("td", "dense", "rnn", "none"), False: ("dense", "softmax", "none", "dense")}
    for k, merge in enumerate(MERGES):
        for rs in (True, False):
            picked.append(("lstm_bidi_%s_%s_%s" % (merge, "seq" if rs else "last", rotate[rs][k]), lstm))
    picked += [(s, lstm) for s in ("lstm_gb_seq_td", "lstm_gb_last_dense", "lstm_fw_seq_dense", "lstm_state_fw_last",
                                   "lstm_state_bidi_concat_last", "lstm_stack3_bidi", "lstm_emb_last_dense")]
    picked += [(s, gru) for s in ("gru_bidi_concat_seq_dense", "gru_bidi_sum_last_dense", "gru_bidi_ave_seq_dense",
                                  "gru_gb_seq_td")]
    return [("k3_" + s, table[s][0], table[s][1]) for s, table in picked]


def run_keras(w, version, cell="LSTM"):
    if version == 3:
        os.environ.pop("TF_USE_LEGACY_KERAS", None)
    import tensorflow as tf
    import tf2onnx
    import onnx
    if version == 3:
        import keras as K
        cells = keras3_cells()
        part = "k3"
    else:
        import tf_keras as K
        cells = [("k2_" + s, o, b) for s, o, b in keras_cells(cell)]
        part = "k2" if cell == "LSTM" else "k2_gru"
    l = K.layers
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    exporter = ("tf2onnx %s (tf_keras %s, from_keras)" % (tf2onnx.__version__, K.__version__) if version == 2
                else "tf2onnx %s (keras %s, model.export)" % (tf2onnx.__version__, K.__version__))
    for stem, opts, builder in cells:
        opts = dict(opts, keras=version)
        K.backend.clear_session()
        tf.random.set_seed(0)
        rng = np.random.default_rng(sum(map(ord, stem)))
        m = builder(K, l)
        keras_randomize(m, rng)
        path = os.path.join(MATRIX_DIR, stem + ".onnx")
        in_name = "tokens" if opts.get("embedding") else "features"
        shape = (STEPS,) if opts.get("embedding") else (STEPS, I)
        dtype = tf.int32 if opts.get("embedding") else tf.float32
        spec = (tf.TensorSpec((None,) + shape, dtype, name=in_name),)
        try:
            if version == 2:
                mp, _ = tf2onnx.convert.from_keras(m, input_signature=spec)
                onnx.save(mp, path)
            else:
                m.export(path, format="onnx", verbose=False, input_signature=spec)
                mp = onnx.load(path)
            onnx.checker.check_model(mp)
        except Exception as e:  # noqa: BLE001 (the exporter's failure is the cell's result)
            if os.path.exists(path):
                os.remove(path)
            w.failed(stem, part, exporter, opts, e)
            continue
        if opts.get("embedding"):
            x = rng.integers(0, VOCAB, (BATCH,) + shape).astype(np.int32)
            x[0, 0], x[-1, -1] = 0, VOCAB - 1
        else:
            x = float_inputs(rng, (BATCH,) + shape)
        ops = g.op_list(mp)
        feeds = [(g.real_inputs(mp)[0], x)]
        outs = g.ort_run(path, feeds)
        ref = m.predict(x, verbose=0)
        ref = ref if isinstance(ref, list) else [ref]
        compare(stem, outs, ref, "Keras")
        opts["recurrence"] = "Loop" if "Loop" in ops else ("+".join(sorted({o for o in ops if o in ("LSTM", "GRU")}))
                                                           or "unrolled")
        w.cell(stem, part, exporter, opts, path, feeds, outs, "keras predict, 1e-5")


# --------------------------------------------------------------------------
# PyTorch


HEADS = ("last", "hn_last", "hn_flat", "y", "y_linear")


def torch_cells(cell, exporter):
    """(stem, options): every (layers, bidirectional, head); batch_first and
    h0 rotate through their four combinations (see the module docstring)."""
    cells = []
    layer_counts = (1, 2, 3) if cell == "LSTM" else (1, 2)
    group = 0
    for layers in layer_counts:
        for bidir in (False, True):
            for k, head in enumerate(HEADS):
                combo = (k + group) % 4
                bf, h0 = bool(combo & 1), bool(combo & 2)
                stem = "%s_%s_%s_l%d%s%s_%s%s" % (
                    "ts" if exporter == "torchscript" else "dynamo", cell.lower(), "bi" if bidir else "uni",
                    layers, "_bf" if bf else "", "_h0" if h0 else "", head, "")
                cells.append((stem, {"cell": cell, "exporter": exporter, "num_layers": layers,
                                     "bidirectional": bidir, "batch_first": bf, "head": head, "h0": h0}))
            group += 1
    return cells


def run_torch(w):
    import torch
    import onnx
    torch.manual_seed(0)
    torch.set_num_threads(1)
    nn = torch.nn
    version = torch.__version__.split("+")[0]

    class Net(nn.Module):
        def __init__(self, cell, layers, bidir, bf, head):
            super().__init__()
            self.rnn = getattr(nn, cell)(I, H, num_layers=layers, bidirectional=bidir, batch_first=bf)
            d = 2 if bidir else 1
            width = {"last": d * H, "hn_last": H, "hn_flat": layers * d * H, "y": 0, "y_linear": d * H}[head]
            self.fc = nn.Linear(width, 2) if width else None
            self.gru, self.bf, self.head = cell == "GRU", bf, head

        def forward(self, x, h0=None, c0=None):
            if self.gru:
                y, hn = self.rnn(x) if h0 is None else self.rnn(x, h0)
            else:
                y, (hn, _) = self.rnn(x) if h0 is None else self.rnn(x, (h0, c0))
            if self.head == "last":
                return self.fc(y[:, -1] if self.bf else y[-1])
            if self.head == "hn_last":
                return self.fc(hn[-1])
            if self.head == "hn_flat":
                return self.fc(hn.transpose(0, 1).reshape(hn.shape[1], -1))
            if self.head == "y":
                return y
            return self.fc(y)

    for cell in ("LSTM", "GRU"):
        for exporter in ("torchscript", "dynamo"):
            for stem, opts in torch_cells(cell, exporter):
                rng = np.random.default_rng(sum(map(ord, stem)))
                layers, bidir, bf, head, with_h0 = (opts[k] for k in ("num_layers", "bidirectional", "batch_first",
                                                                      "head", "h0"))
                gru = cell == "GRU"
                net = Net(cell, layers, bidir, bf, head).eval()
                with torch.no_grad():
                    for name, p in net.named_parameters():
                        if name.startswith("rnn.weight_ih"):
                            s = 0.45 if name.startswith("rnn.weight_ih_l0") else 0.9
                            v = rng.uniform(-s, s, p.shape)
                        elif name.startswith("rnn.weight_hh"):
                            v = rng.uniform(-0.45, 0.45, p.shape)
                        elif name.startswith("rnn.bias_ih"):
                            v = (g.gru_bias(rng, H, g.TORCH_GRU_ORDER, False) if gru
                                 else g.lstm_bias(rng, H, g.TORCH_OFFSETS))
                        elif name.startswith("rnn.bias_hh"):
                            v = (g.gru_bias(rng, H, g.TORCH_GRU_ORDER, True) if gru
                                 else rng.uniform(-0.25, 0.25, p.shape))
                        else:
                            v = rng.uniform(-0.5, 0.5, p.shape)
                        p.copy_(torch.tensor(v, dtype=torch.float32))
                d = 2 if bidir else 1

                def shape(batch, steps):
                    return (batch, steps, I) if bf else (steps, batch, I)

                # traced at batch 3, 10 steps; the fixture runs batch 2, 9 steps (dynamic axes)
                ex = [torch.tensor(float_inputs(rng, shape(3, 10)))]
                names = ["x"]
                if with_h0:
                    ex.append(torch.zeros(layers * d, 3, H))
                    names.append("h0")
                    if not gru:
                        ex.append(torch.zeros(layers * d, 3, H))
                        names.append("c0")
                b_ax, s_ax = (0, 1) if bf else (1, 0)
                path = os.path.join(MATRIX_DIR, stem + ".onnx")
                out_dyn = {b_ax: "batch", s_ax: "seq"} if head in ("y", "y_linear") else {0: "batch"}
                dyn = {"x": {b_ax: "batch", s_ax: "seq"}, "out": out_dyn}
                for n in names[1:]:
                    dyn[n] = {1: "batch"}
                exporter_name = "torch %s (%s)" % (version, exporter)
                try:
                    if exporter == "dynamo":
                        bdim, sdim = torch.export.Dim("batch", min=2), torch.export.Dim("seq", min=2)
                        ds = tuple([{b_ax: bdim, s_ax: sdim}] + [{1: bdim}] * (len(names) - 1))
                        prog = torch.onnx.export(net, tuple(ex), dynamo=True, opset_version=20,
                                                 input_names=names, output_names=["out"], dynamic_shapes=ds,
                                                 verbose=False, report=False)
                        prog.save(path, external_data=False)
                        model = onnx.load(path)
                        for node in model.graph.node:
                            del node.metadata_props[:]
                        onnx.save(model, path)
                    else:
                        torch.onnx.export(net, tuple(ex), path, dynamo=False, opset_version=17, input_names=names,
                                          output_names=["out"], dynamic_axes=dyn, do_constant_folding=True)
                    onnx.checker.check_model(onnx.load(path))
                except Exception as e:  # noqa: BLE001
                    if os.path.exists(path):
                        os.remove(path)
                    w.failed(stem, "torch", exporter_name, opts, e)
                    continue
                x = float_inputs(rng, shape(BATCH, STEPS + 1))
                feeds = [("x", x)]
                if with_h0:
                    feeds.append(("h0", rng.uniform(-0.8, 0.8, (layers * d, BATCH, H)).astype(np.float32)))
                    if not gru:
                        feeds.append(("c0", rng.uniform(-1.0, 1.0, (layers * d, BATCH, H)).astype(np.float32)))
                outs = g.ort_run(path, feeds)
                with torch.no_grad():
                    ref = net(*[torch.tensor(a) for _, a in feeds])
                compare(stem, outs, [ref.numpy()], "torch")
                model = onnx.load(path)
                opts = dict(opts, recurrence="+".join(sorted({o for o in g.op_list(model) if o in ("LSTM", "GRU")}))
                            or "unrolled")
                w.cell(stem, "torch", exporter_name, opts, path, feeds, outs, "torch forward, 1e-5")


PARTS = {"k2": lambda w: run_keras(w, 2), "k2_gru": lambda w: run_keras(w, 2, "GRU"),
         "k3": lambda w: run_keras(w, 3), "torch": run_torch}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=list(PARTS), action="append",
                    help="regenerate only this part (repeatable), keeping the others' cells")
    ap.add_argument("--child", choices=list(PARTS), help=argparse.SUPPRESS)
    ap.add_argument("--manifest-out", help=argparse.SUPPRESS)
    ap.add_argument("--any-version", action="store_true", help="skip the version pin check")
    args = ap.parse_args()
    if not args.any_version:
        bad = g.check_versions()
        if bad:
            sys.exit("generate_onnx_matrix.py: wrong package versions: %s" % ", ".join(bad))
    if args.child:
        w = Writer()
        PARTS[args.child](w)
        with open(args.manifest_out, "w") as f:
            json.dump(w.manifest, f)
        return

    parts = args.only or list(PARTS)
    manifest_path = os.path.join(MATRIX_DIR, "manifest.json")
    manifest = []
    if args.only and os.path.exists(manifest_path):
        with open(manifest_path) as f:
            manifest = [e for e in json.load(f) if e["part"] not in parts]
    elif os.path.isdir(MATRIX_DIR):
        shutil.rmtree(MATRIX_DIR)
    os.makedirs(MATRIX_DIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for part in parts:
            keep = {e["stem"] for e in manifest}
            for name in os.listdir(MATRIX_DIR):
                stem = name.split(".")[0]
                if name != "manifest.json" and stem not in keep:
                    os.remove(os.path.join(MATRIX_DIR, name))
            out = os.path.join(tmp, part + ".json")
            log("== %s" % part)
            cmd = [sys.executable, os.path.abspath(__file__), "--child", part, "--manifest-out", out]
            if args.any_version:
                cmd.append("--any-version")
            subprocess.run(cmd, check=True)
            with open(out) as f:
                manifest += json.load(f)
    manifest.sort(key=lambda e: e["stem"])
    with open(manifest_path, "w") as f:
        f.write("[\n" + ",\n".join("  " + json.dumps(e, sort_keys=True) for e in manifest) + "\n]\n")
    log("%d cells, %d exported" % (len(manifest), sum("export_error" not in e for e in manifest)))


if __name__ == "__main__":
    main()
