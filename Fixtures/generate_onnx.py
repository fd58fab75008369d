#!/usr/bin/env python3
"""Generate the ONNX model files and lstmc fixtures under Fixtures/onnx/ and
the ONNX inputs lstmc must reject under Fixtures/bad/onnx/.

Every expected output in a fixture is what ONNX Runtime (CPU execution
provider) computes with `InferenceSession.run` on the committed model file.
Nothing here computes an expected value by hand.  The one exception is
documented where it happens: ONNX Runtime refuses LSTM and GRU `layout=1`,
so the layout=1 models are evaluated by `onnx.reference` on the model file
(which is correct for the features those models use: default activations, no
clip, no input_forget, no sequence_lens) and cross-checked against ONNX
Runtime on the layout=0 twin of the same model.

Set-up and run (from the repository root; the venv lives outside the repo):

    python3 -m venv /work/venv/onnx
    /work/venv/onnx/bin/pip install -r Fixtures/requirements-onnx.txt
    /work/venv/onnx/bin/python Fixtures/generate_onnx.py

One venv holds everything (torch, onnx, onnxruntime, tensorflow, tf_keras,
tf2onnx); requirements-onnx.txt pins the exact versions.  The script checks
the main pins at start-up and refuses to run with others (pass --any-version
to skip the check; the versions written into the fixtures are always the ones
actually used).  torch from PyPI pulls about 5 GB of CUDA libraries; it runs
on the CPU.

The script deletes Fixtures/onnx/ and Fixtures/bad/onnx/ and rewrites them.
It runs a child process of itself per part (`--only torch`, `--only
embedding`, `--only tf2onnx`, `--only tf2onnx_embedding`, `--only helper`,
`--only gru_helper`, `--only torch_gru`, `--only tf2onnx_gru`; helper,
torch_gru and tf2onnx_gru also write bad inputs), so that TensorFlow and
torch never share a process, then writes the manifests.  It takes about 3
minutes on 2 busy cores.

    /work/venv/onnx/bin/python Fixtures/generate_onnx.py --update embedding

regenerates only one part's files (here the torch_*embed* ones) and replaces
their entries in both manifests, leaving every other file as it is (the
tf2onnx model files are not byte-stable, so a full run rewrites them).

Output:
    Fixtures/onnx/<stem>.onnx, <stem>.fixture.json (lstmc-fixture-1)
    Fixtures/onnx/<stem>.weights.bin   external initializer data (one model)
    Fixtures/onnx/<stem>/model.onnx + test_data_set_0/{input,output}_K.pb
                                       ONNX test-data convention (3 models)
    Fixtures/onnx/manifest.json        one entry per fixture
    Fixtures/bad/onnx/*.onnx, mismatched.fixture.json, manifest.json

Stems: torch_* (torch.onnx.export; the TorchScript exporter, dynamo=False,
except torch_dynamo_*, which use the torch.export-based exporter, dynamo=True;
torch_*embed* start with an nn.Embedding, an ONNX Gather on a weight, and take
int64 indices [batch, seq]),
tf2onnx_* (tf2onnx.convert.from_keras on tf_keras models; tf2onnx_embedding
takes int32 indices into an Embedding), h_* (single LSTM
graphs built with onnx.helper covering the LSTM operator's inputs, outputs
and attributes); torch_gru_*, torch_dynamo_gru_*, tf2onnx_gru_* and h_gru_*
are the same for nn.GRU, tf_keras GRU and the GRU operator.

Fixture conventions:
  * inputs = the graph inputs that are not initializers, in graph order, named
    as in the graph (X, sequence_lens, initial_h, initial_c for helper graphs;
    x, h0, c0 for torch; the Keras input name for tf2onnx), with the graph's
    dtypes (sequence_lens is int32) and the model's own layout (LSTM layout 0
    is [seq, batch, input]; batch_first torch exports are [batch, seq, input]);
  * outputs = all graph outputs, in graph order, named as in the graph;
  * float32 values have 9 significant digits, float16 5, float64 17;
  * tolerance abs 1e-5, rel 1e-4 unless the manifest says why not.

Weights are seeded random: W/R (torch weight_ih/weight_hh, Keras
kernel/recurrent_kernel) uniform in about +-0.45, LSTM biases with a
different offset per gate (i +0.3, o +0.5, f +0.8, c -0.2) plus noise, so a
wrong gate order shows; peepholes and initial states non-zero.  Inputs are
normal*2 clipped to +-4.5 with some values beyond +-3.

Everything is seeded.  Re-running reproduces every fixture JSON, every
test_data_set file and every torch / onnx.helper model byte for byte (the
torch_dynamo_* models also carry the exporter's stack-trace metadata, whose
paths and line numbers of this script change when it is edited or run from
another checkout; their graphs and weights do not).  The
tf2onnx model files are not byte-stable: TensorFlow's graph freezing and
tf2onnx's optimizers vary the order of independent nodes and which of several
equal constants is kept (and so the generated tensor names; the "ops" string
of their manifest entries follows the node order).  Their operators, weights
and expected numbers are the same on every run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX_DIR = os.path.join(HERE, "onnx")
BAD_DIR = os.path.join(HERE, "bad", "onnx")
SCRIPT = "Fixtures/generate_onnx.py"

PINS = {
    "torch": "2.15.0",
    "onnx": "1.23.2",
    "onnxruntime": "1.32.0",
    "numpy": "2.4.6",
    "ml_dtypes": "0.6.0",
    "protobuf": "7.36.2",
    "tensorflow": "2.21.0",
    "tf_keras": "2.21.0",
    "tf2onnx": "1.17.0",
    "onnxscript": "0.7.2",
    "onnx_ir": "1.1.0",
}

TOLERANCE = {"abs": 1e-5, "rel": 1e-4}
# float16 model: ONNX Runtime computes the LSTM in float32 and rounds the
# outputs to float16 (checked: its float16 outputs equal its float32 outputs
# on the same float16-representable weights, rounded).  A float32 computation
# in lstmc differs from that by up to half a float16 ulp, one ulp if lstmc
# rounds to float16 too (2^-10 relative, ~1e-3).
TOLERANCE_F16 = {"abs": 1e-3, "rel": 1e-3}

# Per-gate bias offsets.  ONNX gate order is i, o, f, c; torch's is
# i, f, g(=c), o; Keras' is i, f, c, o.  The offsets are per gate, not per
# position: i +0.3, o +0.5, f +0.8, c -0.2 everywhere.
ONNX_OFFSETS = (0.3, 0.5, 0.8, -0.2)
TORCH_OFFSETS = (0.3, 0.8, -0.2, 0.5)
KERAS_OFFSETS = (0.3, 0.8, -0.2, 0.5)


def _env():
    os.environ["CUDA_VISIBLE_DEVICES"] = ""
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.setdefault("OMP_NUM_THREADS", "1")


_env()

import numpy as np  # noqa: E402


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import dump_fixture, float_inputs, log, tensor_json  # noqa: E402


# --------------------------------------------------------------------------
# Data


def lstm_bias(rng, hidden, offsets, noise=0.25):
    return rng.uniform(-noise, noise, len(offsets) * hidden) + np.repeat(offsets, hidden)


# GRU bias offsets per gate, for the input-side bias (ONNX Wb, torch bias_ih,
# Keras bias row 0) and the recurrent one (ONNX Rb, torch bias_hh, Keras bias
# row 1): z +0.4 / -0.2, r -0.3 / +0.5, candidate +0.2 / -0.6.  The
# candidate's recurrent bias is large and different from its input bias, so a
# model that folds it into b (wrong with reset-after) or swaps z and r fails.
GRU_OFFSETS_IN = {"z": 0.4, "r": -0.3, "h": 0.2}
GRU_OFFSETS_REC = {"z": -0.2, "r": 0.5, "h": -0.6}
# Packing orders: ONNX and Keras z, r, h; torch r, z, n.
ONNX_GRU_ORDER = ("z", "r", "h")
TORCH_GRU_ORDER = ("r", "z", "h")


def gru_bias(rng, hidden, order, recurrent, noise=0.25):
    table = GRU_OFFSETS_REC if recurrent else GRU_OFFSETS_IN
    return lstm_bias(rng, hidden, [table[g] for g in order], noise)


# --------------------------------------------------------------------------
# ONNX Runtime oracle and shared bookkeeping


def ort_session(path):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 4
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def ort_run(path, feeds):
    """feeds: list of (name, array) in graph-input order.  Returns a list of
    (name, array) for every graph output, in graph order."""
    s = ort_session(path)
    got_in = [i.name for i in s.get_inputs()]
    assert got_in == [n for n, _ in feeds], (got_in, [n for n, _ in feeds])
    names = [o.name for o in s.get_outputs()]
    outs = s.run(names, dict(feeds))
    return list(zip(names, outs))


def real_inputs(model):
    inits = {i.name for i in model.graph.initializer}
    return [i.name for i in model.graph.input if i.name not in inits]


def op_list(model):
    return [n.op_type for n in model.graph.node]


def default_opset(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return int(o.version)
    return None


class Writer:
    """Collects manifest entries for one child process."""

    def __init__(self):
        self.manifest = []

    def fixture(self, stem, model_path, feeds, outputs, exporter, covers, tolerance=None,
                framework=None, version=None, extra=None):
        import onnx
        import onnxruntime as ort
        model = onnx.load(model_path, load_external_data=False)
        assert real_inputs(model) == [n for n, _ in feeds], (real_inputs(model), feeds)
        assert [o.name for o in model.graph.output] == [n for n, _ in outputs]
        fx = {
            "model": os.path.basename(model_path),
            "producer": {"framework": framework or "onnxruntime",
                         "version": version or ort.__version__,
                         "script": SCRIPT, "exporter": exporter},
            "tolerance": tolerance or TOLERANCE,
            "inputs": [tensor_json(n, a) for n, a in feeds],
            "outputs": [tensor_json(n, a) for n, a in outputs],
        }
        fx_name = stem + ".fixture.json"
        dump_fixture(os.path.join(ONNX_DIR, fx_name), fx)
        entry = {"fixture": fx_name, "model": fx["model"], "exporter": exporter,
                 "opset": default_opset(model), "ir_version": int(model.ir_version),
                 "oracle": fx["producer"]["framework"], "covers": covers,
                 "ops": " ".join(op_list(model))}
        if extra:
            entry.update(extra)
        self.manifest.append(entry)
        log("  %-34s opset %-2s %s" % (stem, entry["opset"], entry["ops"][:90]))
        return entry

    def test_data_set(self, stem, model_path, feeds, outputs):
        """ONNX test-data convention: <stem>/model.onnx (a copy) and
        <stem>/test_data_set_0/{input,output}_K.pb."""
        from onnx import numpy_helper
        d = os.path.join(ONNX_DIR, stem)
        td = os.path.join(d, "test_data_set_0")
        os.makedirs(td, exist_ok=True)
        shutil.copyfile(model_path, os.path.join(d, "model.onnx"))
        for kind, lst in (("input", feeds), ("output", outputs)):
            for k, (n, a) in enumerate(lst):
                t = numpy_helper.from_array(np.asarray(a), n)
                with open(os.path.join(td, "%s_%d.pb" % (kind, k)), "wb") as f:
                    f.write(t.SerializeToString())
        for e in self.manifest:
            if e["model"] == os.path.basename(model_path):
                e["covers"].append("test_data_set")
                e["test_data_set"] = stem + "/test_data_set_0"


# --------------------------------------------------------------------------
# PyTorch exports


TORCH_CASES = [
    # stem, layers, bidirectional, batch_first, head, h0 inputs, states out, opset, dynamic
    ("torch_l1_last", 1, False, False, "last", False, False, 17, True),
    ("torch_l1_bf_last", 1, False, True, "last", False, False, 17, True),
    ("torch_l1_bf_last_op11", 1, False, True, "last", False, False, 11, True),
    ("torch_l1_bf_seq", 1, False, True, "seq", False, False, 17, True),
    ("torch_l1_h0_states", 1, False, False, "seq", True, True, 17, True),
    ("torch_l1_hn_head", 1, False, True, "hn", False, False, 17, True),
    ("torch_l1_bf_static", 1, False, True, "last", False, True, 17, False),
    ("torch_l2_seq", 2, False, False, "seq", False, False, 17, True),
    ("torch_l2_bf_last_h0", 2, False, True, "last", True, True, 20, True),
    ("torch_bidi_bf_last", 1, True, True, "last", False, False, 17, True),
    ("torch_bidi_seq_h0", 1, True, False, "seq", True, True, 17, True),
    ("torch_bidi_l2_bf_seq", 2, True, True, "seq", False, False, 14, True),
    # the torch.export-based exporter (dynamo=True, the default since torch 2.9)
    ("torch_dynamo_l1_bf_last", 1, False, True, "last", False, False, 20, True),
    ("torch_dynamo_bidi_l2_h0", 2, True, False, "seq", True, True, 20, True),
]

TORCH_TEST_DATA = ("torch_l2_bf_last_h0",)

# nn.GRU exports, same columns as TORCH_CASES (the exporters write ONNX GRU
# nodes with linear_before_reset=1, reordering torch's r, z, n to z, r, h).
TORCH_GRU_CASES = [
    ("torch_gru_l1_last", 1, False, False, "last", False, False, 17, True),
    ("torch_gru_l1_bf_hn_states", 1, False, True, "hn", False, True, 14, True),
    ("torch_gru_l1_h0_seq", 1, False, False, "seq", True, True, 17, True),
    ("torch_gru_l2_bf_last_h0", 2, False, True, "last", True, True, 20, True),
    ("torch_gru_l3_hn_static", 3, False, False, "hn", False, False, 11, False),
    ("torch_gru_bidi_bf_last", 1, True, True, "last", False, False, 17, True),
    ("torch_gru_bidi_seq_h0", 1, True, False, "seq", True, True, 17, True),
    ("torch_gru_bidi_l3_bf_seq_h0", 3, True, True, "seq", True, True, 14, True),
    ("torch_dynamo_gru_l1_bf_last", 1, False, True, "last", False, False, 20, True),
    ("torch_dynamo_gru_l2_hn_h0", 2, False, False, "hn", True, True, 20, True),
    ("torch_dynamo_gru_bidi_l2_bf_seq", 2, True, True, "seq", False, False, 22, True),
    ("torch_dynamo_gru_bidi_last_h0", 1, True, False, "last", True, True, 20, True),
]

TORCH_GRU_TEST_DATA = ("torch_gru_l2_bf_last_h0",)


def run_torch_gru(w):
    run_torch(w, "GRU", TORCH_GRU_CASES, TORCH_GRU_TEST_DATA)
    return [torch_grucell_loop()]


def torch_grucell_loop():
    """Bad input: an nn.GRUCell stepped in a Python loop, which the
    TorchScript exporter unrolls into primitive ops (no GRU node)."""
    import torch
    nn = torch.nn
    torch.manual_seed(0)

    class Loop(nn.Module):
        def __init__(self):
            super().__init__()
            self.cell = nn.GRUCell(3, 4)
            self.fc = nn.Linear(4, 2)

        def forward(self, x):
            h = torch.zeros(x.shape[1], 4)
            for t in range(x.shape[0]):
                h = self.cell(x[t], h)
            return self.fc(h)

    os.makedirs(BAD_DIR, exist_ok=True)
    name = "torch_grucell_loop.onnx"
    path = os.path.join(BAD_DIR, name)
    torch_export(Loop().eval(), (torch.zeros(8, 2, 3),), path, False, 17, ["x"], ["y"], None, False, 0)
    entry = {"file": name,
             "what": "torch %s (TorchScript exporter) of an nn.GRUCell stepped in a Python loop over 8 steps: "
                     "the recurrence is unrolled into MatMul, Add, Sigmoid, Tanh, Mul and Sub nodes, no GRU node"
                     % torch.__version__.split("+")[0]}
    ort_verdicts([entry])
    return entry


def torch_export(net, ex_args, path, dynamo, opset, in_names, out_names, dyn, bf, states):
    """torch.onnx.export with the TorchScript exporter (dynamic_axes `dyn`)
    or the dynamo one (dynamic batch and seq on x, batch on the `states`
    state inputs), checked by onnx.checker."""
    import torch
    import onnx
    if dynamo:
        b_ax, s_ax = (0, 1) if bf else (1, 0)
        bdim, sdim = torch.export.Dim("batch"), torch.export.Dim("seq")
        ds = [{b_ax: bdim, s_ax: sdim}] + [{1: bdim}] * states
        prog = torch.onnx.export(net, ex_args, dynamo=True, opset_version=opset,
                                 input_names=in_names, output_names=out_names,
                                 dynamic_shapes=tuple(ds), verbose=False, report=False)
        prog.save(path, external_data=False)
    else:
        torch.onnx.export(net, ex_args, path, dynamo=False, opset_version=opset,
                          input_names=in_names, output_names=out_names, dynamic_axes=dyn,
                          do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def check_against(stem, outs, ref, framework):
    """Every ONNX Runtime output equals the framework's within 1e-5."""
    for (n, a), r in zip(outs, ref):
        d = float(np.abs(a - np.asarray(r)).max())
        if d > 1e-5:
            raise SystemExit("%s: ORT and %s differ on %s by %g" % (stem, framework, n, d))


def run_torch(w, cell="LSTM", cases=TORCH_CASES, test_data=TORCH_TEST_DATA):
    """nn.LSTM (or nn.GRU, cell="GRU") -> nn.Linear exports over `cases`."""
    import torch
    torch.manual_seed(0)
    torch.set_num_threads(1)
    nn = torch.nn
    I, H, OUT = 3, 5, 2
    gru = cell == "GRU"
    attr = cell.lower()  # the module's name: "lstm" or "gru" (the exporters name nodes after it)

    class Net(nn.Module):
        def __init__(self, layers, bidir, bf, head, states_out):
            super().__init__()
            setattr(self, attr, getattr(nn, cell)(I, H, num_layers=layers, bidirectional=bidir, batch_first=bf))
            self.fc = nn.Linear(H * (2 if bidir else 1), OUT)
            self.bf, self.head, self.states_out = bf, head, states_out

        def forward(self, x, h0=None, c0=None):
            rnn = getattr(self, attr)
            if gru:
                y, hn = rnn(x) if h0 is None else rnn(x, h0)
                cn = None
            elif h0 is None:
                y, (hn, cn) = rnn(x)
            else:
                y, (hn, cn) = rnn(x, (h0, c0))
            if self.head == "last":
                z = self.fc(y[:, -1, :] if self.bf else y[-1])
            elif self.head == "seq":
                z = self.fc(y)
            else:  # "hn": the last layer's final hidden state
                z = self.fc(hn[-1])
            if not self.states_out:
                return z
            return (z, hn) if gru else (z, hn, cn)

    for (stem, layers, bidir, bf, head, with_h0, states_out, opset, dynamic) in cases:
        seed = sum(map(ord, stem))
        rng = np.random.default_rng(seed)
        net = Net(layers, bidir, bf, head, states_out).eval()
        nd = 2 if bidir else 1
        with torch.no_grad():
            for name, p in net.named_parameters():
                if name.startswith(attr + ".weight_ih"):
                    s = 0.45 if name.startswith(attr + ".weight_ih_l0") else 0.9
                    v = rng.uniform(-s, s, p.shape)
                elif name.startswith(attr + ".weight_hh"):
                    v = rng.uniform(-0.45, 0.45, p.shape)
                elif name.startswith(attr + ".bias_ih"):
                    v = gru_bias(rng, H, TORCH_GRU_ORDER, False) if gru else lstm_bias(rng, H, TORCH_OFFSETS)
                elif name.startswith(attr + ".bias_hh"):
                    v = gru_bias(rng, H, TORCH_GRU_ORDER, True) if gru else rng.uniform(-0.25, 0.25, p.shape)
                else:
                    v = rng.uniform(-0.5, 0.5, p.shape)
                p.copy_(torch.tensor(v, dtype=torch.float32))

        def shapes(batch, seq):
            return (batch, seq, I) if bf else (seq, batch, I)

        # export with batch 2, seq 8; with dynamic axes the fixture uses batch 3, seq 9
        ex_x = torch.tensor(float_inputs(rng, shapes(2, 8)))
        st = (layers * nd, 2, H)
        ex_args = (ex_x,)
        in_names = ["x"]
        if with_h0:
            ex_args = (ex_x, torch.zeros(st)) if gru else (ex_x, torch.zeros(st), torch.zeros(st))
            in_names = ["x", "h0"] if gru else ["x", "h0", "c0"]
        out_names = (["y", "h_n"] if gru else ["y", "h_n", "c_n"]) if states_out else ["y"]
        dyn = None
        if dynamic:
            b_ax, s_ax = (0, 1) if bf else (1, 0)
            dyn = {"x": {b_ax: "batch", s_ax: "seq"}}
            for n in in_names[1:]:
                dyn[n] = {1: "batch"}
            if head == "seq":
                dyn["y"] = {b_ax: "batch", s_ax: "seq"}
            else:
                dyn["y"] = {0: "batch"}
            for n in out_names[1:]:
                dyn[n] = {1: "batch"}
        path = os.path.join(ONNX_DIR, stem + ".onnx")
        dynamo = "_dynamo_" in stem
        torch_export(net, ex_args, path, dynamo, opset, in_names, out_names, dyn, bf, len(in_names) - 1)

        batch, seq = (3, 9) if dynamic else (2, 8)
        x = float_inputs(rng, shapes(batch, seq))
        feeds = [("x", x)]
        targs = (torch.tensor(x),)
        if with_h0:
            h0 = rng.uniform(-0.8, 0.8, (layers * nd, batch, H)).astype(np.float32)
            feeds.append(("h0", h0))
            if not gru:
                c0 = rng.uniform(-1.0, 1.0, (layers * nd, batch, H)).astype(np.float32)
                feeds.append(("c0", c0))
            targs = tuple(torch.tensor(a) for _, a in feeds)
        outs = ort_run(path, feeds)
        with torch.no_grad():
            ref = net(*targs)
        ref = ref if isinstance(ref, tuple) else (ref,)
        check_against(stem, outs, [r.numpy() for r in ref], "torch")

        covers = ["torch", "torch:exporter:%s" % ("dynamo" if dynamo else "torchscript"),
                  "gru_op" if gru else "lstm_op", "torch:layers:%d" % layers, "torch:head:%s" % head,
                  "dynamic_axes" if dynamic else "static_shapes"]
        if bidir:
            covers.append("torch:bidirectional")
            covers.append("direction:bidirectional")
        else:
            covers.append("direction:forward")
        covers.append("torch:batch_first" if bf else "torch:seq_first")
        if with_h0:
            covers += ["torch:h0_input", "initial_h"] + ([] if gru else ["initial_c"])
        if states_out:
            covers.append("torch:states_output")
        if gru:
            covers.append("linear_before_reset:1")
        covers.append("opset:%d" % opset)
        w.fixture(stem, path, feeds, outs, "torch %s" % torch.__version__.split("+")[0], covers,
                  extra={"torch_vs_ort_checked": 1e-5})
        if stem in test_data:
            w.test_data_set(stem, path, feeds, outs)


# --------------------------------------------------------------------------
# PyTorch exports with an nn.Embedding in front (ONNX Gather on a weight)


EMBED_CASES = [
    # stem, opset, batch_first; the TorchScript exporter unless the stem says dynamo
    ("torch_embed_bf_last", 17, True),
    ("torch_dynamo_embed_bf_last", 20, True),
    # time-first indices [seq, batch]
    ("torch_embed_seq_last", 17, False),
]
EMBED_VOCAB, EMBED_DIM, EMBED_HIDDEN, EMBED_OUT = 20, 6, 7, 3


def run_torch_embedding(w):
    """nn.Embedding -> nn.LSTM -> nn.Linear on the last step, with an int64
    index input [batch, seq] ([seq, batch] without batch_first; dynamic batch
    and seq axes)."""
    import torch
    import onnx
    torch.manual_seed(0)
    torch.set_num_threads(1)
    nn = torch.nn
    V, E, H, OUT = EMBED_VOCAB, EMBED_DIM, EMBED_HIDDEN, EMBED_OUT

    class Net(nn.Module):
        def __init__(self, bf):
            super().__init__()
            self.embed = nn.Embedding(V, E)
            self.lstm = nn.LSTM(E, H, batch_first=bf)
            self.fc = nn.Linear(H, OUT)
            self.bf = bf

        def forward(self, x):
            y, _ = self.lstm(self.embed(x))
            return self.fc(y[:, -1, :] if self.bf else y[-1])

    for stem, opset, bf in EMBED_CASES:
        rng = np.random.default_rng(sum(map(ord, stem)))
        net = Net(bf).eval()
        with torch.no_grad():
            for name, p in net.named_parameters():
                if name == "embed.weight":
                    v = rng.uniform(-1.5, 1.5, p.shape)
                elif name.startswith("lstm.weight"):
                    v = rng.uniform(-0.45, 0.45, p.shape)
                elif name.startswith("lstm.bias_ih"):
                    v = lstm_bias(rng, H, TORCH_OFFSETS)
                elif name.startswith("lstm.bias_hh"):
                    v = rng.uniform(-0.25, 0.25, p.shape)
                else:
                    v = rng.uniform(-0.5, 0.5, p.shape)
                p.copy_(torch.tensor(v, dtype=torch.float32))

        def indices(batch, seq):
            x = rng.integers(0, V, (batch, seq)).astype(np.int64)
            x[0, 0] = 0
            x[-1, -1] = V - 1
            x[min(1, batch - 1), seq // 2] = V - 1
            x[-1, 0] = 0
            return x if bf else np.ascontiguousarray(x.T)

        # export with batch 2, seq 8; the fixture uses batch 3, seq 9
        ex_x = torch.tensor(indices(2, 8))
        path = os.path.join(ONNX_DIR, stem + ".onnx")
        dynamo = "_dynamo_" in stem
        if dynamo:
            b_ax, s_ax = (0, 1) if bf else (1, 0)
            ds = ({b_ax: torch.export.Dim("batch"), s_ax: torch.export.Dim("seq")},)
            prog = torch.onnx.export(net, (ex_x,), dynamo=True, opset_version=opset,
                                     input_names=["x"], output_names=["y"],
                                     dynamic_shapes=ds, verbose=False, report=False)
            prog.save(path, external_data=False)
        else:
            torch.onnx.export(net, (ex_x,), path, dynamo=False, opset_version=opset,
                              input_names=["x"], output_names=["y"],
                              dynamic_axes={"x": {0: "batch", 1: "seq"} if bf else {0: "seq", 1: "batch"},
                                            "y": {0: "batch"}},
                              do_constant_folding=True)
        model = onnx.load(path)
        onnx.checker.check_model(model)
        assert "Gather" in op_list(model), op_list(model)

        x = indices(3, 9)
        assert x.min() == 0 and x.max() == V - 1
        feeds = [("x", x)]
        outs = ort_run(path, feeds)
        with torch.no_grad():
            ref = net(torch.tensor(x))
        d = float(np.abs(outs[0][1] - ref.numpy()).max())
        if d > 1e-5:
            raise SystemExit("%s: ORT and torch differ on y by %g" % (stem, d))
        covers = ["torch", "torch:exporter:%s" % ("dynamo" if dynamo else "torchscript"), "lstm_op",
                  "torch:embedding", "gather_embedding", "index_input:int64", "torch:layers:1",
                  "torch:head:last", "dynamic_axes", "direction:forward",
                  "torch:batch_first" if bf else "torch:seq_first", "opset:%d" % opset]
        w.fixture(stem, path, feeds, outs, "torch %s" % torch.__version__.split("+")[0], covers,
                  extra={"torch_vs_ort_checked": 1e-5})


# --------------------------------------------------------------------------
# tf2onnx exports of tf_keras models


def run_tf2onnx(w, cell="LSTM"):
    """tf2onnx exports of tf_keras LSTM models (or GRU models, cell="GRU": the
    cases of tf2onnx_gru_cases); the ones tf2onnx writes as a Loop are bad
    inputs."""
    import tensorflow as tf
    import tf_keras as K
    import tf2onnx
    import onnx
    l = K.layers
    tf.random.set_seed(0)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()

    def randomize(model, rng):
        seen_lstm = False
        for layer in model.layers:
            if not layer.weights:
                continue
            cls = type(layer).__name__
            inner = type(layer.forward_layer).__name__ if cls == "Bidirectional" else cls
            lstm_like = inner in ("LSTM", "GRU")
            kscale = 0.9 if (lstm_like and seen_lstm) else 0.45
            new = []
            for wt, cur in zip(layer.weights, layer.get_weights()):
                n = wt.name.split("/")[-1].split(":")[0]
                if n == "recurrent_kernel":
                    v = rng.uniform(-0.45, 0.45, cur.shape)
                elif n == "kernel" and lstm_like:
                    v = rng.uniform(-kscale, kscale, cur.shape)
                elif n == "bias" and inner == "GRU":
                    # [2, 3 units] (reset_after: input row, recurrent row) or [3 units]; Keras packs z, r, h
                    units = cur.shape[-1] // 3
                    rows = [gru_bias(rng, units, ONNX_GRU_ORDER, recurrent) for recurrent in (False, True)]
                    v = np.stack(rows) if cur.ndim == 2 else rows[0]
                elif n == "bias" and lstm_like:
                    v = lstm_bias(rng, cur.shape[0] // 4, KERAS_OFFSETS)
                else:
                    v = rng.uniform(-0.5, 0.5, cur.shape)
                new.append(v.astype(cur.dtype))
            layer.set_weights(new)
            if lstm_like:
                seen_lstm = True

    def basic():
        return K.Sequential([K.Input(shape=(10, 3), name="features"), l.LSTM(5, name="lstm"),
                             l.Dense(2, name="dense")])

    def seq_timedist():
        return K.Sequential([K.Input(shape=(9, 4), name="features"),
                             l.LSTM(5, return_sequences=True, name="lstm"),
                             l.TimeDistributed(l.Dense(2), name="time_distributed")])

    def bidi():
        return K.Sequential([K.Input(shape=(10, 3), name="features"),
                             l.Bidirectional(l.LSTM(5), name="bidirectional"),
                             l.Dense(2, name="dense")])

    def bidi_seq_sum():
        return K.Sequential([K.Input(shape=(9, 3), name="features"),
                             l.Bidirectional(l.LSTM(4, return_sequences=True), merge_mode="sum",
                                             name="bidirectional"),
                             l.Dense(2, name="dense")])

    def stacked():
        return K.Sequential([K.Input(shape=(10, 4), name="features"),
                             l.LSTM(6, return_sequences=True, name="lstm_1"),
                             l.LSTM(5, name="lstm_2"),
                             l.Dense(3, activation="softmax", name="dense")])

    def go_backwards():
        return K.Sequential([K.Input(shape=(8, 4), name="features"),
                             l.LSTM(5, go_backwards=True, name="lstm"),
                             l.Dense(2, name="dense")])

    def go_backwards_seq():
        # Keras returns the go_backwards sequence in processing order
        return K.Sequential([K.Input(shape=(8, 4), name="features"),
                             l.LSTM(5, go_backwards=True, return_sequences=True, name="lstm")])

    def state():
        x = K.Input(shape=(10, 3), name="features")
        o, h, c = l.LSTM(5, return_state=True, name="enc")(x)
        return K.Model(x, [l.Dense(2, name="proj")(o), h, c])

    def acts():
        return K.Sequential([K.Input(shape=(8, 3), name="features"),
                             l.LSTM(5, activation="relu", recurrent_activation="hard_sigmoid",
                                    name="lstm"),
                             l.Dense(2, name="dense")])

    def no_bias():
        return K.Sequential([K.Input(shape=(8, 3), name="features"),
                             l.LSTM(5, use_bias=False, name="lstm"),
                             l.Dense(2, name="dense")])

    def masked():
        return K.Sequential([K.Input(shape=(10, 3), name="features"), l.Masking(0.0, name="masking"),
                             l.LSTM(5, name="lstm"), l.Dense(2, name="dense")])

    def softsign():
        return K.Sequential([K.Input(shape=(8, 3), name="features"),
                             l.LSTM(5, activation="softsign", name="lstm"),
                             l.Dense(2, name="dense")])

    lstm_cases = [
        # stem, builder, covers, where
        ("tf2onnx_basic", basic, ["keras:lstm", "keras:dense"], "good"),
        ("tf2onnx_seq_timedist", seq_timedist, ["keras:return_sequences", "keras:time_distributed"], "good"),
        ("tf2onnx_bidi", bidi, ["keras:bidirectional:concat", "direction:bidirectional"], "good"),
        ("tf2onnx_bidi_seq_sum", bidi_seq_sum, ["keras:bidirectional:sum", "keras:return_sequences",
                                                "keras:dense_3d", "direction:bidirectional"], "good"),
        ("tf2onnx_stacked", stacked, ["keras:stacked", "keras:dense_activation:softmax"], "good"),
        ("tf2onnx_go_backwards", go_backwards, ["keras:go_backwards", "op:ReverseSequence"], "good"),
        ("tf2onnx_go_backwards_seq", go_backwards_seq, ["keras:go_backwards", "keras:return_sequences",
                                                        "op:ReverseSequence"], "good"),
        ("tf2onnx_state", state, ["keras:return_state", "multi_output"], "good"),
        ("tf2onnx_acts", acts, ["keras:activation:relu", "keras:recurrent_activation:hard_sigmoid",
                                "activation:HardSigmoid", "activation:Relu"], "good"),
        ("tf2onnx_no_bias", no_bias, ["keras:lstm_use_bias:false", "bias:zeros"], "good"),
        ("tf2onnx_masked_loop", masked, ["keras:masking", "op:Loop"], "bad"),
        ("tf2onnx_softsign_loop", softsign, ["keras:activation:softsign", "op:Loop"], "bad"),
    ]
    cases = lstm_cases if cell == "LSTM" else tf2onnx_gru_cases(K, l)
    bad = []
    for stem, builder, covers, where in cases:
        K.backend.clear_session()
        seed = sum(map(ord, stem))
        rng = np.random.default_rng(seed)
        m = builder()
        randomize(m, rng)
        in_name = m.input_names[0]
        shape = tuple(m.inputs[0].shape[1:])
        spec = (tf.TensorSpec((None,) + shape, tf.float32, name=in_name),)
        mp, _ = tf2onnx.convert.from_keras(m, input_signature=spec)
        onnx.checker.check_model(mp)
        x = float_inputs(rng, (3,) + shape)
        if stem == "tf2onnx_masked_loop":
            x[0, 0:2, :] = 0.0
            x[1, 4:6, :] = 0.0
        ops = op_list(mp)
        target = ONNX_DIR if where == "good" else BAD_DIR
        path = os.path.join(target, stem + ".onnx")
        onnx.save(mp, path)
        outs = ort_run(path, [(in_name, x)])
        ref = m.predict(x, verbose=0)
        ref = ref if isinstance(ref, list) else [ref]
        for (n, a), r in zip(outs, ref):
            d = float(np.abs(a - r).max())
            if d > 1e-5:
                raise SystemExit("%s: ORT and Keras differ on %s by %g" % (stem, n, d))
        kind = "rnn_op" if cell in ops else ("loop" if "Loop" in ops else "other")
        if where == "bad":
            assert kind == "loop", (stem, ops)
            bad.append({"file": stem + ".onnx",
                        "what": "tf2onnx %s of a tf_keras model that tf2onnx does not rewrite to %s "
                                "%s op (%s): the recurrence is an ONNX Loop"
                                % (tf2onnx.__version__, "an" if cell == "LSTM" else "a", cell,
                                   ", ".join(covers)),
                        "onnxruntime": "runs (matches Keras)"})
            log("  %-34s (bad) %s" % (stem, " ".join(ops)[:90]))
            continue
        assert kind == "rnn_op", (stem, ops)
        recurrent = [n for n in mp.graph.node if n.op_type in ("LSTM", "GRU")]
        acts_used = []
        for n in recurrent:
            for a in n.attribute:
                if a.name == "activations":
                    acts_used += [s.decode() for s in a.strings]
        cov = ["tf2onnx"] + sorted({n.op_type.lower() + "_op" for n in recurrent},
                                   key=lambda o: (o != cell.lower() + "_op", o))
        cov += covers + ["opset:%d" % default_opset(mp)]
        if any("ai.onnx.ml" == o.domain for o in mp.opset_import):
            cov.append("opset_import:ai.onnx.ml")
        w.fixture(stem, path, [(in_name, x)], outs, "tf2onnx %s" % tf2onnx.__version__, cov,
                  extra={"keras": "tf_keras %s" % K.__version__, "keras_vs_ort_checked": 1e-5,
                         "%s_activations" % cell.lower(): acts_used})
        if stem == "tf2onnx_basic":
            w.test_data_set(stem, path, [(in_name, x)], outs)
    return bad


def tf2onnx_gru_cases(K, l):
    """tf_keras GRU models for tf2onnx: (stem, builder, covers, good|bad).
    tf2onnx 1.17 rewrites a GRU to an ONNX GRU op (linear_before_reset=1)
    only with reset_after=True, the default activations and a bias; any other
    GRU becomes a Loop (a bad input, like the LSTM's)."""
    def seq(steps, features, *layers):
        return K.Sequential([K.Input(shape=(steps, features), name="features")] + list(layers))

    def state():
        x = K.Input(shape=(9, 3), name="features")
        o, h = l.GRU(5, return_state=True, name="enc")(x)
        return K.Model(x, [l.Dense(2, name="proj")(o), h])

    return [
        ("tf2onnx_gru_basic", lambda: seq(10, 3, l.GRU(5, name="gru"), l.Dense(2, name="dense")),
         ["keras:gru", "keras:gru_reset_after:true", "keras:dense"], "good"),
        ("tf2onnx_gru_bidi", lambda: seq(10, 3, l.Bidirectional(l.GRU(5), name="bidirectional"),
                                         l.Dense(2, name="dense")),
         ["keras:gru", "keras:bidirectional:concat", "direction:bidirectional"], "good"),
        ("tf2onnx_gru_bidi_seq_sum", lambda: seq(9, 3, l.Bidirectional(l.GRU(4, return_sequences=True),
                                                                       merge_mode="sum", name="bidirectional"),
                                                 l.Dense(2, name="dense")),
         ["keras:gru", "keras:bidirectional:sum", "keras:return_sequences", "keras:dense_3d",
          "direction:bidirectional"], "good"),
        ("tf2onnx_gru_go_backwards", lambda: seq(8, 4, l.GRU(5, go_backwards=True, name="gru"),
                                                 l.Dense(2, name="dense")),
         ["keras:gru", "keras:go_backwards", "op:ReverseSequence"], "good"),
        ("tf2onnx_gru_go_backwards_seq_timedist",
         lambda: seq(8, 4, l.GRU(5, go_backwards=True, return_sequences=True, name="gru"),
                     l.TimeDistributed(l.Dense(2), name="time_distributed")),
         ["keras:gru", "keras:go_backwards", "keras:return_sequences", "keras:time_distributed",
          "op:ReverseSequence"], "good"),
        ("tf2onnx_gru_state", state, ["keras:gru", "keras:return_state", "multi_output"], "good"),
        ("tf2onnx_gru_lstm_stack",
         lambda: seq(10, 4, l.GRU(6, return_sequences=True, name="gru_1"),
                     l.LSTM(5, return_sequences=True, name="lstm"), l.GRU(4, name="gru_2"),
                     l.Dense(3, activation="softmax", name="dense")),
         ["keras:gru", "keras:lstm", "keras:stacked", "keras:stacked:gru_lstm_mix",
          "keras:dense_activation:softmax"], "good"),
        ("tf2onnx_gru_reset_before_loop",
         lambda: seq(8, 3, l.GRU(5, reset_after=False, name="gru"), l.Dense(2, name="dense")),
         ["keras:gru", "keras:gru_reset_after:false", "op:Loop"], "bad"),
    ]


# --------------------------------------------------------------------------
# onnx.helper-built single-LSTM graphs


# Each spec: stem, opset and options (see build_helper).  Activation lists
# are written exactly as stored in the model; activation_alpha/beta are
# consumed (ONNX Runtime semantics) only by the activations that take them,
# in order across all directions: Affine(a,b), LeakyRelu(a), ThresholdedRelu(a),
# ScaledTanh(a,b), HardSigmoid(a,b), Elu(a).
HELPER_CASES = [
    dict(stem="h_fwd_op7", opset=7, outputs="Y,Y_h,Y_c", inits_as_inputs=True, data_form="float_data"),
    dict(stem="h_fwd_op14", opset=14, outputs="Y,Y_h,Y_c", sym=True),
    dict(stem="h_fwd_op22_y", opset=22, outputs="Y"),
    dict(stem="h_reverse", opset=14, direction="reverse", outputs="Y,Y_h", init="init"),
    dict(stem="h_bidi_op22", opset=22, direction="bidirectional", init="input", outputs="-,Y_h",
         sym=True),
    dict(stem="h_only_yc", opset=13, outputs="-,-,Y_c", init="init"),
    dict(stem="h_peepholes", opset=14, P=True, outputs="Y,-,Y_c", init="input"),
    dict(stem="h_peepholes_bidi", opset=9, direction="bidirectional", P=True, outputs="Y,Y_h,Y_c"),
    dict(stem="h_clip", opset=14, clip=1.25, outputs="Y,Y_h,Y_c"),
    dict(stem="h_input_forget", opset=14, input_forget=1, outputs="Y,Y_h,Y_c", init="init"),
    dict(stem="h_seqlens_fwd", opset=14, seq_lens=("input", [9, 4, 1]), outputs="Y,Y_h,Y_c", S=9, B=3),
    dict(stem="h_seqlens_rev", opset=17, direction="reverse", seq_lens=("init", [3, 8, 6]),
         outputs="Y,Y_h,Y_c", init="init", B=3),
    dict(stem="h_seqlens_bidi", opset=14, direction="bidirectional", seq_lens=("input", [5, 8, 2]),
         init="input", outputs="Y,Y_h,Y_c", B=3, sym=True),
    dict(stem="h_acts_a", opset=14, acts=["HardSigmoid", "ScaledTanh", "Affine"],
         alpha=[0.3, 1.3, 0.8], beta=[0.45, 0.7, 0.1], outputs="Y,Y_h,Y_c"),
    dict(stem="h_acts_b", opset=14, direction="reverse", acts=["Sigmoid", "LeakyRelu", "Elu"],
         alpha=[0.15, 0.7], outputs="Y,Y_h,Y_c"),
    dict(stem="h_acts_c", opset=22, direction="bidirectional",
         acts=["Softsign", "Softplus", "Tanh", "HardSigmoid", "ThresholdedRelu", "Relu"],
         alpha=[0.25, 0.1], beta=[0.55], outputs="Y,Y_h,Y_c"),
    dict(stem="h_acts_defaults", opset=14, acts=["HardSigmoid", "LeakyRelu", "Elu"],
         outputs="Y,Y_h,Y_c"),
    dict(stem="h_acts_explicit_default", opset=11, direction="bidirectional",
         acts=["Sigmoid", "Tanh", "Tanh", "Sigmoid", "Tanh", "Tanh"], outputs="Y,Y_h"),
    dict(stem="h_no_bias", opset=14, bias=False, outputs="Y,Y_h,Y_c"),
    dict(stem="h_empty_inputs", opset=14, bias=False, init="input", init_c=None,
         seq_lens=None, outputs="Y,Y_h,Y_c", empty_seq_lens=True),
    dict(stem="h_combo_bidi", opset=22, direction="bidirectional", P=True, clip=2.5,
         seq_lens=("input", [8, 3, 6]), init="input",
         acts=["Sigmoid", "Tanh", "ScaledTanh", "HardSigmoid", "Elu", "Softsign"],
         alpha=[1.2, 0.25, 0.9], beta=[0.8, 0.5], outputs="Y,Y_h,Y_c", B=3, sym=True),
    dict(stem="h_combo_rev_op7", opset=7, direction="reverse", P=True, clip=1.75, input_forget=1,
         seq_lens=("init", [8, 5]), init="init", outputs="Y,Y_h,Y_c", inits_as_inputs=True),
    dict(stem="h_combo_fwd_op20", opset=20, P=True, input_forget=1, init="input",
         acts=["HardSigmoid", "LeakyRelu", "Tanh"], alpha=[0.22, 0.05], beta=[0.48],
         outputs="Y,Y_h,Y_c", I=6, H=3, S=10),
    dict(stem="h_layout1", opset=14, layout=1, init="input", outputs="Y,Y_h,Y_c"),
    dict(stem="h_layout1_bidi_peep", opset=22, layout=1, direction="bidirectional", P=True,
         init="init", outputs="Y,Y_h,Y_c", sym=True),
    dict(stem="h_external", opset=17, init="init", P=True, outputs="Y,Y_h", external=True),
    dict(stem="h_float16", opset=22, dtype="float16", init="input", outputs="Y,Y_h,Y_c"),
]

HELPER_TEST_DATA = ("h_seqlens_bidi",)

# Single-GRU graphs: every input, output and attribute of the GRU operator,
# each alone and several together.  lbr is linear_before_reset (None: the
# attribute is absent, which means 0).  ONNX Runtime has no layout=1 GRU and
# no double GRU (the layout=1 ones use onnx.reference as the LSTM's do; the
# double one is h_gru_casts).
GRU_HELPER_CASES = [
    dict(stem="h_gru_fwd_op7", opset=7, lbr=None, outputs="Y,Y_h", inits_as_inputs=True,
         data_form="float_data"),
    dict(stem="h_gru_fwd_op14", opset=14, lbr=1, outputs="Y,Y_h", sym=True),
    dict(stem="h_gru_fwd_op22_y", opset=22, lbr=0, outputs="Y", I=5, H=3, S=10),
    dict(stem="h_gru_reverse", opset=14, direction="reverse", lbr=1, init="init", outputs="-,Y_h"),
    dict(stem="h_gru_bidi_op22", opset=22, direction="bidirectional", lbr=1, init="input",
         outputs="Y,Y_h", sym=True),
    dict(stem="h_gru_bidi_lbr0", opset=14, direction="bidirectional", lbr=0, outputs="Y,Y_h"),
    dict(stem="h_gru_clip", opset=14, lbr=1, clip=0.7, outputs="Y,Y_h"),
    dict(stem="h_gru_clip_lbr0", opset=14, lbr=0, clip=0.9, outputs="Y,Y_h", init="init"),
    dict(stem="h_gru_seqlens_fwd", opset=14, lbr=1, seq_lens=("input", [9, 4, 1]), outputs="Y,Y_h",
         S=9, B=3),
    dict(stem="h_gru_seqlens_rev", opset=17, direction="reverse", lbr=0, seq_lens=("init", [3, 8, 6]),
         outputs="Y,Y_h", init="init", B=3),
    dict(stem="h_gru_seqlens_bidi", opset=14, direction="bidirectional", lbr=1,
         seq_lens=("input", [5, 8, 2]), init="input", outputs="Y,Y_h", B=3, sym=True),
    dict(stem="h_gru_acts_a", opset=14, lbr=1, acts=["HardSigmoid", "ScaledTanh"],
         alpha=[0.3, 1.3], beta=[0.45, 0.7], outputs="Y,Y_h"),
    dict(stem="h_gru_acts_b", opset=14, direction="bidirectional", lbr=0,
         acts=["Sigmoid", "LeakyRelu", "Affine", "Elu"], alpha=[0.15, 0.8, 0.7], beta=[0.1],
         outputs="Y,Y_h"),
    dict(stem="h_gru_acts_c", opset=22, direction="bidirectional", lbr=1,
         acts=["Softsign", "Softplus", "HardSigmoid", "ThresholdedRelu"], alpha=[0.25],
         outputs="Y,Y_h"),
    dict(stem="h_gru_acts_defaults", opset=14, direction="reverse", lbr=1,
         acts=["HardSigmoid", "Relu"], outputs="Y,Y_h"),
    dict(stem="h_gru_no_bias", opset=14, lbr=1, bias=False, init="input", outputs="Y,Y_h"),
    dict(stem="h_gru_combo_bidi_lbr0", opset=22, direction="bidirectional", lbr=0, clip=1.1,
         seq_lens=("input", [8, 3, 6]), init="input", acts=["HardSigmoid", "Tanh", "Sigmoid", "Softsign"],
         alpha=[0.22], beta=[0.48], outputs="Y,Y_h", B=3, sym=True),
    dict(stem="h_gru_combo_rev_op7", opset=7, direction="reverse", lbr=1, clip=1.5,
         seq_lens=("init", [8, 5]), init="init", outputs="Y,Y_h", inits_as_inputs=True),
    dict(stem="h_gru_layout1", opset=14, layout=1, lbr=1, init="input", outputs="Y,Y_h"),
    dict(stem="h_gru_layout1_bidi_lbr0", opset=22, layout=1, direction="bidirectional", lbr=0,
         init="init", outputs="Y,Y_h", sym=True),
    dict(stem="h_gru_float16", opset=22, dtype="float16", lbr=1, init="input", outputs="Y,Y_h"),
]
for _spec in GRU_HELPER_CASES:
    _spec["op"] = "GRU"

GRU_HELPER_TEST_DATA = ("h_gru_seqlens_bidi",)


def run_tf2onnx_embedding(w):
    """tf2onnx of a tf_keras Embedding(20, 6) -> LSTM(7) -> Dense(3) with int32
    indices [batch, 9] (mask_zero=False: with it tf2onnx writes a Loop)."""
    import tensorflow as tf
    import tf_keras as K
    import tf2onnx
    import onnx
    l = K.layers
    tf.random.set_seed(0)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    V, E, H, OUT, T = EMBED_VOCAB, EMBED_DIM, EMBED_HIDDEN, EMBED_OUT, 9
    stem = "tf2onnx_embedding"
    K.backend.clear_session()
    rng = np.random.default_rng(sum(map(ord, stem)))
    m = K.Sequential([K.Input(shape=(T,), dtype="int32", name="tokens"), l.Embedding(V, E, name="embedding"),
                      l.LSTM(H, name="lstm"), l.Dense(OUT, name="dense")])
    for layer in m.layers:
        new = []
        for wt, cur in zip(layer.weights, layer.get_weights()):
            n = wt.name.split("/")[-1].split(":")[0]
            if n == "embeddings":
                v = rng.uniform(-1.5, 1.5, cur.shape)
            elif n in ("kernel", "recurrent_kernel") and layer.name == "lstm":
                v = rng.uniform(-0.45, 0.45, cur.shape)
            elif n == "bias" and layer.name == "lstm":
                v = lstm_bias(rng, H, KERAS_OFFSETS)
            else:
                v = rng.uniform(-0.5, 0.5, cur.shape)
            new.append(v.astype(cur.dtype))
        layer.set_weights(new)
    spec = (tf.TensorSpec((None, T), tf.int32, name="tokens"),)
    mp, _ = tf2onnx.convert.from_keras(m, input_signature=spec)
    onnx.checker.check_model(mp)
    ops = op_list(mp)
    assert "Gather" in ops and "LSTM" in ops and "Loop" not in ops, ops
    path = os.path.join(ONNX_DIR, stem + ".onnx")
    onnx.save(mp, path)
    x = rng.integers(0, V, (3, T)).astype(np.int32)
    x[0, 0] = 0
    x[-1, -1] = V - 1
    x[1, T // 2] = V - 1
    x[-1, 0] = 0
    outs = ort_run(path, [("tokens", x)])
    ref = m.predict(x, verbose=0)
    d = float(np.abs(outs[0][1] - ref).max())
    if d > 1e-5:
        raise SystemExit("%s: ORT and Keras differ by %g" % (stem, d))
    w.fixture(stem, path, [("tokens", x)], outs, "tf2onnx %s" % tf2onnx.__version__,
              ["tf2onnx", "keras:embedding", "gather_embedding", "index_input:int32", "keras:lstm",
               "keras:dense", "lstm_op", "direction:forward"])


def build_helper(spec, rng):
    """Returns (model, feeds, covers).  spec["op"] is "LSTM" (the default) or
    "GRU" (no P, no initial_c, no Y_c, no input_forget; linear_before_reset
    from spec["lbr"]: None leaves the attribute out, 0 or 1 writes it)."""
    import onnx
    from onnx import helper as oh, numpy_helper as nh, TensorProto

    op = spec.get("op", "LSTM")
    gru = op == "GRU"
    opset = spec["opset"]
    direction = spec.get("direction", "forward")
    nd = 2 if direction == "bidirectional" else 1
    S, B = spec.get("S", 8), spec.get("B", 2)
    I, H = spec.get("I", 3), spec.get("H", 4)
    layout = spec.get("layout", 0)
    dt = np.dtype(spec.get("dtype", "float32"))
    tp = oh.np_dtype_to_tensor_dtype(dt)
    sym = spec.get("sym", False)
    bdim, sdim = ("batch" if sym else B), ("seq" if sym else S)
    covers = ["onnx.helper", "gru_op" if gru else "lstm_op", "opset:%d" % opset,
              "direction:%s" % direction, "layout:%d" % layout]

    gates = 3 if gru else 4
    W = rng.uniform(-0.45, 0.45, (nd, gates * H, I))
    R = rng.uniform(-0.45, 0.45, (nd, gates * H, H))
    if gru:
        Bv = np.stack([np.concatenate([gru_bias(rng, H, ONNX_GRU_ORDER, False),
                                       gru_bias(rng, H, ONNX_GRU_ORDER, True)]) for _ in range(nd)])
    else:
        Bv = np.stack([np.concatenate([lstm_bias(rng, H, ONNX_OFFSETS), rng.uniform(-0.25, 0.25, 4 * H)])
                       for _ in range(nd)])
        P = rng.uniform(-0.4, 0.4, (nd, 3 * H))
    st_shape = (nd, B, H) if layout == 0 else (B, nd, H)
    h0 = rng.uniform(-0.8, 0.8, st_shape)
    c0 = None if gru else rng.uniform(-1.0, 1.0, st_shape)
    x_shape = (S, B, I) if layout == 0 else (B, S, I)
    x = float_inputs(rng, x_shape).astype(dt)

    inits, ginputs, feeds = [], [], []
    data_form = spec.get("data_form", "raw")

    def init_tensor(name, arr, form=None):
        arr = np.asarray(arr)
        form = form or data_form
        if form == "float_data":
            t = oh.make_tensor(name, oh.np_dtype_to_tensor_dtype(arr.dtype), arr.shape,
                               arr.ravel().tolist(), raw=False)
        else:
            t = nh.from_array(arr, name)
        inits.append(t)

    node_in = ["X", "W", "R"]
    ginputs.append(oh.make_tensor_value_info("X", tp, [sdim, bdim, I] if layout == 0 else [bdim, sdim, I]))
    feeds.append(("X", x))
    init_tensor("W", W.astype(dt))
    init_tensor("R", R.astype(dt), "raw" if data_form == "float_data" else None)
    if spec.get("bias", True):
        init_tensor("B", Bv.astype(dt))
        node_in.append("B")
        covers.append("bias")
    else:
        node_in.append("")
        covers.append("no_bias")
    sl = spec.get("seq_lens")
    if sl:
        kind, vals = sl
        vals = np.array(vals, dtype=np.int32)
        assert len(vals) == B and vals.max() == S and vals.min() < S
        node_in.append("sequence_lens")
        covers += ["sequence_lens", "sequence_lens:%s" % ("input" if kind == "input" else "initializer")]
        if kind == "input":
            ginputs.append(oh.make_tensor_value_info("sequence_lens", TensorProto.INT32, [bdim]))
            feeds.append(("sequence_lens", vals))
        else:
            init_tensor("sequence_lens", vals)
    else:
        node_in.append("")
    init = spec.get("init")
    init_c = None if gru else spec.get("init_c", init)
    st_dims = [nd, bdim, H] if layout == 0 else [bdim, nd, H]
    for nm, kind, arr in (("initial_h", init, h0), ("initial_c", init_c, c0))[:1 if gru else 2]:
        if not kind:
            node_in.append("")
            continue
        node_in.append(nm)
        covers += [nm, "%s:%s" % (nm, "input" if kind == "input" else "initializer")]
        if kind == "input":
            ginputs.append(oh.make_tensor_value_info(nm, tp, st_dims))
            feeds.append((nm, arr.astype(dt)))
        else:
            init_tensor(nm, arr.astype(dt))
    if spec.get("P"):
        init_tensor("P", P.astype(dt))
        node_in.append("P")
        covers.append("peepholes")
    while node_in and node_in[-1] == "":
        node_in.pop()
    if "" in node_in:
        covers.append("optional_input_empty_name")

    attrs = {"hidden_size": H}
    if direction != "forward" or spec.get("explicit_forward"):
        attrs["direction"] = direction
    if spec.get("acts"):
        attrs["activations"] = spec["acts"]
        for a in spec["acts"]:
            t = "activation:%s" % a
            if t not in covers:
                covers.append(t)
    if spec.get("alpha"):
        attrs["activation_alpha"] = spec["alpha"]
        covers.append("activation_alpha")
    if spec.get("beta"):
        attrs["activation_beta"] = spec["beta"]
        covers.append("activation_beta")
    if spec.get("clip"):
        attrs["clip"] = spec["clip"]
        covers.append("clip")
    if spec.get("input_forget"):
        attrs["input_forget"] = 1
        covers.append("input_forget")
    if gru:
        lbr = spec.get("lbr")
        if lbr is not None:
            attrs["linear_before_reset"] = lbr
        covers.append("linear_before_reset:%d" % (lbr or 0))
        if lbr is None:
            covers.append("linear_before_reset:default")
    if layout:
        attrs["layout"] = layout

    out_names = spec["outputs"].split(",")
    node_out = [("" if n == "-" else n) for n in out_names]
    while node_out and node_out[-1] == "":
        node_out.pop()
    if "" in node_out:
        covers.append("optional_output_empty_name")
    y_dims = [sdim, nd, bdim, H] if layout == 0 else [bdim, sdim, nd, H]
    goutputs = []
    for n in node_out:
        if n:
            goutputs.append(oh.make_tensor_value_info(n, tp, y_dims if n == "Y" else st_dims))
            covers.append("output:%s" % n)
    node = oh.make_node(op, node_in, node_out, name=op.lower(), **attrs)
    if spec.get("inits_as_inputs"):
        # IR version 3 requires every initializer to be a graph input too
        for t in inits:
            ginputs.append(oh.make_tensor_value_info(t.name, t.data_type, list(t.dims)))
        covers.append("initializers_as_graph_inputs")
    graph = oh.make_graph([node], spec["stem"], ginputs, goutputs, inits)
    opsets = [oh.make_opsetid("", opset)]
    model = oh.make_model(graph, opset_imports=opsets, producer_name="lstmc generate_onnx.py",
                          producer_version="1")
    model.ir_version = spec.get("ir", oh.find_min_ir_version_for(opsets))
    covers.append("ir_version:%d" % model.ir_version)
    if sym:
        covers.append("symbolic_dims")
    if data_form == "float_data":
        covers += ["float_data", "raw_data"]
    if dt == np.float16:
        covers.append("float16")
    onnx.checker.check_model(model)
    return model, feeds, covers


def layout0_twin(model):
    """The same model with layout=0 (inputs/outputs transposed).  Used only
    to cross-check onnx.reference against ONNX Runtime."""
    import onnx
    m = onnx.ModelProto()
    m.CopyFrom(model)
    node = m.graph.node[0]
    keep = [a for a in node.attribute if a.name != "layout"]
    del node.attribute[:]
    node.attribute.extend(keep)
    for t in m.graph.initializer:
        if t.name in ("initial_h", "initial_c"):
            a = onnx.numpy_helper.to_array(t).transpose(1, 0, 2)
            t.CopyFrom(onnx.numpy_helper.from_array(np.ascontiguousarray(a), t.name))
    for vi in list(m.graph.input) + list(m.graph.output):
        vi.type.tensor_type.ClearField("shape")
    return m


def run_helper(w):
    for spec in HELPER_CASES:
        helper_fixture(w, spec, HELPER_TEST_DATA)

    cast_models(w)
    return bad_models(w)


def helper_fixture(w, spec, test_data=()):
    """Builds, saves and evaluates one onnx.helper spec (LSTM or GRU) and
    writes its fixture."""
    import onnx
    import onnxruntime as ort

    stem = spec["stem"]
    rng = np.random.default_rng(sum(map(ord, stem)))
    model, feeds, covers = build_helper(spec, rng)
    path = os.path.join(ONNX_DIR, stem + ".onnx")
    extra = {}
    if spec.get("external"):
        loc = stem + ".weights.bin"
        if os.path.exists(os.path.join(ONNX_DIR, loc)):
            os.remove(os.path.join(ONNX_DIR, loc))  # onnx.save appends to an existing data file
        onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                  location=loc, size_threshold=0, convert_attribute=False)
        os.chmod(os.path.join(ONNX_DIR, loc), 0o644)
        covers.append("external_data")
        extra["external_data"] = loc
    else:
        onnx.save(model, path)
    tol = TOLERANCE_F16 if spec.get("dtype") == "float16" else None
    if spec.get("dtype") == "float16":
        extra["tolerance_note"] = ("ONNX Runtime computes the float16 %s in float32 and rounds "
                                   "the outputs to float16: allow about one float16 ulp"
                                   % spec.get("op", "LSTM"))
    if spec.get("layout"):
        # ONNX Runtime: "Batchwise recurrent operations (layout == 1) are
        # not supported".  Oracle: onnx.reference on the model file,
        # cross-checked against ORT on the layout=0 twin.
        from onnx.reference import ReferenceEvaluator
        try:
            ort_session(path)
            raise SystemExit("%s: ONNX Runtime now accepts layout=1; use it as the oracle" % stem)
        except SystemExit:
            raise
        except Exception as e:
            ort_msg = str(e).strip().splitlines()[0]
            k = ort_msg.find("Batchwise")
            ort_msg = ort_msg[k:].split(".")[0] if k >= 0 else ort_msg[:160]
        ref = ReferenceEvaluator(path)
        names = [o.name for o in model.graph.output]
        vals = ref.run(names, dict(feeds))
        outs = [(n, np.asarray(v, dtype=np.float32)) for n, v in zip(names, vals)]
        twin = layout0_twin(model)
        with tempfile.TemporaryDirectory() as tmp:
            tp = os.path.join(tmp, "twin.onnx")
            onnx.save(twin, tp)
            tfeeds = [(n, np.ascontiguousarray(a.transpose(1, 0, 2))) for n, a in feeds]
            touts = ort_run(tp, tfeeds)
        diff = 0.0
        for (n, a), (_, b) in zip(outs, touts):
            b = b.transpose(2, 0, 1, 3) if b.ndim == 4 else b.transpose(1, 0, 2)
            diff = max(diff, float(np.abs(a - b).max()))
        if diff > 1e-5:
            raise SystemExit("%s: onnx.reference and ORT (layout=0 twin) differ by %g" % (stem, diff))
        extra["oracle_note"] = ("ONNX Runtime %s rejects layout=1 (%s); expected outputs are "
                                "onnx.reference on this file, cross-checked against ONNX Runtime "
                                "on the layout=0 twin (max |diff| %.2g)"
                                % (ort.__version__, ort_msg, diff))
        covers.append("oracle:onnx.reference")
        w.fixture(stem, path, feeds, outs, "onnx.helper", covers, framework="onnx.reference",
                  version=onnx.__version__, extra=extra)
        return
    outs = ort_run(path, feeds)
    w.fixture(stem, path, feeds, outs, "onnx.helper", covers, tolerance=tol, extra=extra)
    if stem in test_data:
        w.test_data_set(stem, path, feeds, outs)


def run_gru_helper(w):
    for spec in GRU_HELPER_CASES:
        helper_fixture(w, spec, GRU_HELPER_TEST_DATA)
    gru_cast_model(w)


def gru_cast_model(w):
    """A GRU whose W is stored as bfloat16, R as double and B as float16, each
    widened to float by a Cast, reading a double graph input through a Cast
    and writing double outputs through Casts: ONNX Runtime has no double GRU
    kernel ("GRU operator does not support double yet")."""
    import ml_dtypes
    from onnx import helper as oh, numpy_helper as nh, TensorProto

    S, B, I, H = 8, 2, 3, 4
    stem = "h_gru_casts"
    rng = np.random.default_rng(sum(map(ord, stem)))
    W = rng.uniform(-0.45, 0.45, (2, 3 * H, I))
    R = rng.uniform(-0.45, 0.45, (2, 3 * H, H))
    Bv = np.stack([np.concatenate([gru_bias(rng, H, ONNX_GRU_ORDER, False),
                                   gru_bias(rng, H, ONNX_GRU_ORDER, True)]) for _ in range(2)])
    wb = W.astype(ml_dtypes.bfloat16)
    inits = [oh.make_tensor("W_bf16", TensorProto.BFLOAT16, W.shape, wb.view(np.uint16).tobytes(), raw=True),
             nh.from_array(R.astype(np.float64), "R_f64"), nh.from_array(Bv.astype(np.float16), "B_f16")]
    node = oh.make_node("GRU", ["X_f32", "W", "R", "B"], ["Y_f32", "Y_h_f32"], hidden_size=H,
                        direction="bidirectional", linear_before_reset=1, name="gru")
    path, x, outs = double_io_model(stem, inits, ("W_bf16", "R_f64", "B_f16"), node, 22, 10, rng, S, B, I, H)
    w.fixture(stem, path, [("X", x)], outs, "onnx.helper",
              ["onnx.helper", "gru_op", "opset:22", "direction:bidirectional", "linear_before_reset:1",
               "bfloat16", "float16", "float64", "op:Cast", "raw_data", "symbolic_dims", "output:Y",
               "output:Y_h"],
              extra={"tolerance_note": "float64 input is cast to float32 in the graph (ONNX Runtime "
                                       "has no double GRU kernel); outputs are float32 values cast "
                                       "to float64"})


def _lstm_weights(rng, I, H, nd=1):
    W = rng.uniform(-0.45, 0.45, (nd, 4 * H, I)).astype(np.float32)
    R = rng.uniform(-0.45, 0.45, (nd, 4 * H, H)).astype(np.float32)
    Bv = np.stack([np.concatenate([lstm_bias(rng, H, ONNX_OFFSETS), rng.uniform(-0.25, 0.25, 4 * H)])
                   for _ in range(nd)]).astype(np.float32)
    return W, R, Bv


def double_io_model(stem, inits, sources, node, opset, ir_version, rng, S, B, I, H):
    """A bidirectional recurrent `node` reading float W, R, B cast from the
    initializers `sources` and a double graph input X through a Cast, writing
    double Y and Y_h through Casts.  Saves it, evaluates it with ONNX Runtime
    on a double input that is not float32-representable; returns (path, x,
    outputs)."""
    import onnx
    from onnx import helper as oh, TensorProto
    nodes = [oh.make_node("Cast", ["X"], ["X_f32"], to=TensorProto.FLOAT, name="cast_X")]
    for n, src in zip(("W", "R", "B"), sources):
        nodes.append(oh.make_node("Cast", [src], [n], to=TensorProto.FLOAT, name="cast_" + n))
    nodes.append(node)
    nodes.append(oh.make_node("Cast", ["Y_f32"], ["Y"], to=TensorProto.DOUBLE, name="cast_Y"))
    nodes.append(oh.make_node("Cast", ["Y_h_f32"], ["Y_h"], to=TensorProto.DOUBLE, name="cast_Y_h"))
    x = float_inputs(rng, (S, B, I)).astype(np.float64)
    x += rng.uniform(-1e-3, 1e-3, x.shape)  # values that are not float32-representable
    g = oh.make_graph(nodes, stem, [oh.make_tensor_value_info("X", TensorProto.DOUBLE, ["seq", "batch", I])],
                      [oh.make_tensor_value_info("Y", TensorProto.DOUBLE, ["seq", 2, "batch", H]),
                       oh.make_tensor_value_info("Y_h", TensorProto.DOUBLE, [2, "batch", H])], inits)
    m = oh.make_model(g, opset_imports=[oh.make_opsetid("", opset)], producer_name="lstmc generate_onnx.py",
                      producer_version="1")
    m.ir_version = ir_version
    onnx.checker.check_model(m)
    path = os.path.join(ONNX_DIR, stem + ".onnx")
    onnx.save(m, path)
    return path, x, ort_run(path, [("X", x)])


def cast_models(w):
    """Initializers in bfloat16 / float64 widened by Cast nodes: ONNX Runtime
    has no bfloat16 or double LSTM kernel on the CPU ("LSTM operator does not
    support double yet"; no LSTM(22) bfloat16 kernel)."""
    import onnx
    import ml_dtypes
    from onnx import helper as oh, numpy_helper as nh, TensorProto

    S, B, I, H = 8, 2, 3, 4

    # bfloat16 initializers W, R, B -> Cast(to=FLOAT) -> LSTM (opset 22)
    stem = "h_bfloat16_cast"
    rng = np.random.default_rng(sum(map(ord, stem)))
    W, R, Bv = _lstm_weights(rng, I, H)
    inits, nodes = [], []
    for name, a in (("W", W), ("R", R), ("B", Bv)):
        bf = a.astype(ml_dtypes.bfloat16)
        t = oh.make_tensor(name + "_bf16", TensorProto.BFLOAT16, a.shape,
                           bf.view(np.uint16).tobytes(), raw=True)
        inits.append(t)
        nodes.append(oh.make_node("Cast", [name + "_bf16"], [name], to=TensorProto.FLOAT,
                                  name="cast_" + name))
    h0 = rng.uniform(-0.8, 0.8, (1, B, H)).astype(np.float32)
    inits.append(nh.from_array(h0, "initial_h"))
    nodes.append(oh.make_node("LSTM", ["X", "W", "R", "B", "", "initial_h"], ["Y", "Y_h"],
                              hidden_size=H, name="lstm"))
    x = float_inputs(rng, (S, B, I))
    g = oh.make_graph(nodes, stem, [oh.make_tensor_value_info("X", TensorProto.FLOAT, [S, B, I])],
                      [oh.make_tensor_value_info("Y", TensorProto.FLOAT, [S, 1, B, H]),
                       oh.make_tensor_value_info("Y_h", TensorProto.FLOAT, [1, B, H])], inits)
    m = oh.make_model(g, opset_imports=[oh.make_opsetid("", 22)], producer_name="lstmc generate_onnx.py",
                      producer_version="1")
    m.ir_version = 10
    onnx.checker.check_model(m)
    path = os.path.join(ONNX_DIR, stem + ".onnx")
    onnx.save(m, path)
    outs = ort_run(path, [("X", x)])
    w.fixture(stem, path, [("X", x)], outs, "onnx.helper",
              ["onnx.helper", "lstm_op", "opset:22", "direction:forward", "bfloat16", "op:Cast",
               "initial_h", "initial_h:initializer", "optional_input_empty_name", "output:Y", "output:Y_h"])

    # float64 graph input/output and float64 initializers around a float LSTM
    stem = "h_float64_cast"
    rng = np.random.default_rng(sum(map(ord, stem)))
    W, R, Bv = _lstm_weights(rng, I, H, nd=2)
    inits = [nh.from_array(W.astype(np.float64), "W_f64"),
             oh.make_tensor("R_f64", TensorProto.DOUBLE, R.shape, R.astype(np.float64).ravel().tolist()),
             nh.from_array(Bv.astype(np.float64), "B_f64")]
    node = oh.make_node("LSTM", ["X_f32", "W", "R", "B"], ["Y_f32", "Y_h_f32"], hidden_size=H,
                        direction="bidirectional", name="lstm")
    path, x, outs = double_io_model(stem, inits, ("W_f64", "R_f64", "B_f64"), node, 14, 7, rng, S, B, I, H)
    w.fixture(stem, path, [("X", x)], outs, "onnx.helper",
              ["onnx.helper", "lstm_op", "opset:14", "direction:bidirectional", "float64", "op:Cast",
               "double_data", "raw_data", "symbolic_dims", "output:Y", "output:Y_h"],
              extra={"tolerance_note": "float64 input is cast to float32 in the graph (ONNX Runtime "
                                       "has no double LSTM kernel); outputs are float32 values cast "
                                       "to float64"})


# --------------------------------------------------------------------------
# Bad inputs


def bad_models(w):
    import onnx
    import onnxruntime as ort
    from onnx import helper as oh, numpy_helper as nh, TensorProto

    os.makedirs(BAD_DIR, exist_ok=True)
    entries = []
    S, B, I, H = 8, 2, 3, 4
    rng = np.random.default_rng(4242)
    W, R, Bv = _lstm_weights(rng, I, H)

    def save_model(name, model, what):
        path = os.path.join(BAD_DIR, name)
        onnx.save(model, path)
        entries.append({"file": name, "what": what})

    def lstm_graph(nodes, inits, name="bad", inputs=None, outputs=None, opset=14, check=True):
        g = oh.make_graph(nodes, name,
                          inputs or [oh.make_tensor_value_info("X", TensorProto.FLOAT, [S, B, I])],
                          outputs or [oh.make_tensor_value_info("Y", TensorProto.FLOAT, [S, 1, B, H])],
                          inits)
        m = oh.make_model(g, opset_imports=[oh.make_opsetid("", opset)],
                          producer_name="lstmc generate_onnx.py", producer_version="1")
        m.ir_version = 8
        if check:
            onnx.checker.check_model(m)
        return m

    def wrb():
        return [nh.from_array(W, "W"), nh.from_array(R, "R"), nh.from_array(Bv, "B")]

    # truncated: first half of a valid model
    src = os.path.join(ONNX_DIR, "h_fwd_op14.onnx")
    with open(src, "rb") as f:
        data = f.read()
    with open(os.path.join(BAD_DIR, "truncated.onnx"), "wb") as f:
        f.write(data[:len(data) // 2])
    entries.append({"file": "truncated.onnx",
                    "what": "the first %d of %d bytes of ../../onnx/h_fwd_op14.onnx" % (len(data) // 2, len(data))})

    # not_onnx: starts with '/' = 0x2f = field 5, wire type 7 (no such wire type)
    with open(os.path.join(BAD_DIR, "not_onnx.onnx"), "wb") as f:
        f.write(b'/* lstmc test input: this is not an ONNX model */\n{"format": "json", "layers": []}\n')
    entries.append({"file": "not_onnx.onnx",
                    "what": "text; its first byte 0x2f is a protobuf tag with wire type 7, which does "
                            "not exist, so no protobuf parser accepts it"})

    # missing initializer: LSTM's W names nothing
    n = oh.make_node("LSTM", ["X", "W_missing", "R", "B"], ["Y"], hidden_size=H, name="lstm")
    m = lstm_graph([n], wrb()[1:], check=False)
    save_model("missing_initializer.onnx", m,
               "LSTM input W is 'W_missing', which is neither an initializer, a graph input nor a node output")

    # initializer whose raw_data length does not match its dims
    t = nh.from_array(W, "W")
    t.raw_data = W.ravel()[:-5].tobytes()
    n = oh.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=H, name="lstm")
    m = lstm_graph([n], [t] + wrb()[1:], check=False)
    save_model("initializer_mismatch.onnx", m,
               "initializer W has dims %s (%d floats) but raw_data holds %d bytes"
               % (list(W.shape), W.size, len(t.raw_data)))

    # unsupported op: a plain RNN (valid ONNX; ONNX Runtime runs it)
    Wr = rng.uniform(-0.45, 0.45, (1, H, I)).astype(np.float32)
    Rr = rng.uniform(-0.45, 0.45, (1, H, H)).astype(np.float32)
    Br = rng.uniform(-0.3, 0.3, (1, 2 * H)).astype(np.float32)
    n = oh.make_node("RNN", ["X", "W", "R", "B"], ["Y"], hidden_size=H, name="rnn")
    m = lstm_graph([n], [nh.from_array(Wr, "W"), nh.from_array(Rr, "R"), nh.from_array(Br, "B")])
    save_model("unsupported_op.onnx", m, "a single RNN node (the ONNX op for a plain tanh RNN; valid ONNX, "
                                         "runs in ONNX Runtime)")

    # unsupported attribute values
    n = oh.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=H, name="lstm",
                     activations=["Sigmoid", "Gelu", "Tanh"])
    save_model("unsupported_attribute.onnx", lstm_graph([n], wrb()),
               "LSTM with activations [Sigmoid, Gelu, Tanh]; Gelu is not an LSTM activation")
    n = oh.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=H, name="lstm",
                     direction="sideways")
    save_model("unsupported_direction.onnx", lstm_graph([n], wrb()), "LSTM with direction 'sideways'")

    # external data that escapes the model directory
    t = nh.from_array(W, "W")
    t.ClearField("raw_data")
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", "../../outside.bin"), ("offset", "0"), ("length", str(W.nbytes))):
        e = t.external_data.add()
        e.key, e.value = k, v
    n = oh.make_node("LSTM", ["X", "W", "R", "B"], ["Y"], hidden_size=H, name="lstm")
    save_model("external_escape.onnx", lstm_graph([n], [t] + wrb()[1:], check=False),
               "initializer W stored externally at location '../../outside.bin' (outside the model "
               "directory; the file does not exist)")

    # mismatched fixture: valid model, input with 4 features instead of 3
    model_rel = "../../onnx/h_fwd_op14.onnx"
    good = os.path.join(ONNX_DIR, "h_fwd_op14.fixture.json")
    with open(good) as f:
        gfx = json.load(f)
    xbad = float_inputs(np.random.default_rng(99), (8, 2, 4))
    fx = {"model": model_rel, "producer": gfx["producer"], "tolerance": TOLERANCE,
          "inputs": [tensor_json("X", xbad)], "outputs": gfx["outputs"]}
    dump_fixture(os.path.join(BAD_DIR, "mismatched.fixture.json"), fx)
    entries.append({"file": "mismatched.fixture.json",
                    "what": "fixture for %s whose input X has shape [8,2,4] (the model takes 3 "
                            "features); outputs copied from the real fixture" % model_rel})

    ort_verdicts(entries)
    return entries


def ort_verdicts(entries):
    """What ONNX Runtime says about each bad .onnx file (set on the entry)."""
    for e in entries:
        if not e["file"].endswith(".onnx"):
            continue
        try:
            s = ort_session(os.path.join(BAD_DIR, e["file"]))
            feeds = {i.name: np.zeros([d if isinstance(d, int) else 2 for d in i.shape], np.float32)
                     for i in s.get_inputs()}
            s.run(None, feeds)
            e["onnxruntime"] = "loads and runs"
        except Exception as ex:
            msg = str(ex).strip().splitlines()[0]
            msg = msg.replace(ONNX_DIR, "<onnx>").replace(BAD_DIR, "<bad/onnx>")
            e["onnxruntime"] = "rejects: " + msg[:200]


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
        if got is None or got.split("+")[0] != want:
            bad.append("%s %s (want %s)" % (dist, got, want))
    return bad


PARTS = {"torch": run_torch, "embedding": run_torch_embedding, "tf2onnx": run_tf2onnx,
         "tf2onnx_embedding": run_tf2onnx_embedding, "helper": run_helper,
         "gru_helper": run_gru_helper, "torch_gru": run_torch_gru,
         "tf2onnx_gru": lambda w: run_tf2onnx(w, "GRU")}


def update(args):
    """--update: rerun some parts, overwrite their files and replace their
    entries in the manifests (a bad input's by its file name); nothing else is
    touched."""
    path = os.path.join(ONNX_DIR, "manifest.json")
    with open(path) as f:
        manifest = json.load(f)
    bad_path = os.path.join(BAD_DIR, "manifest.json")
    with open(bad_path) as f:
        bad = json.load(f)
    with tempfile.TemporaryDirectory() as tmp:
        for which in args.update:
            out = os.path.join(tmp, which + ".json")
            log("== %s (update)" % which)
            cmd = [sys.executable, os.path.abspath(__file__), "--only", which, "--manifest-out", out]
            if args.any_version:
                cmd.append("--any-version")
            subprocess.run(cmd, check=True)
            with open(out) as f:
                part = json.load(f)
            fresh = {e["fixture"] for e in part["fixtures"]}
            manifest = [e for e in manifest if e["fixture"] not in fresh] + part["fixtures"]
            fresh_bad = {e["file"] for e in part["bad"]}
            bad = [e for e in bad if e["file"] not in fresh_bad] + part["bad"]
    write_manifests(manifest, bad)
    log("updated %s; the manifests have %d fixtures, %d bad inputs" % (", ".join(args.update), len(manifest),
                                                                         len(bad)))


def write_manifests(manifest, bad):
    manifest.sort(key=lambda e: e["fixture"])
    bad.sort(key=lambda e: e["file"])
    for path, entries in ((os.path.join(ONNX_DIR, "manifest.json"), manifest),
                          (os.path.join(BAD_DIR, "manifest.json"), bad)):
        with open(path, "w") as f:
            f.write("[\n" + ",\n".join("  " + json.dumps(e) for e in entries) + "\n]\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=list(PARTS),
                    help="run one part in this process (used by the driver)")
    ap.add_argument("--update", choices=list(PARTS), action="append",
                    help="regenerate only this part's fixtures (repeatable), keeping every other file, "
                         "and replace its entries in the manifest")
    ap.add_argument("--manifest-out", help="with --only: write manifest entries here")
    ap.add_argument("--any-version", action="store_true", help="skip the version pin check")
    args = ap.parse_args()

    if not args.any_version:
        bad = check_versions()
        if bad:
            sys.exit("generate_onnx.py: wrong package versions: %s; see Fixtures/requirements-onnx.txt"
                     % ", ".join(bad))

    if args.only:
        os.makedirs(ONNX_DIR, exist_ok=True)
        os.makedirs(BAD_DIR, exist_ok=True)
        w = Writer()
        bad = PARTS[args.only](w) or []
        if args.manifest_out:
            with open(args.manifest_out, "w") as f:
                json.dump({"fixtures": w.manifest, "bad": bad}, f)
        return

    if args.update:
        update(args)
        return

    for d in (ONNX_DIR, BAD_DIR):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    manifest, bad = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for which in PARTS:
            out = os.path.join(tmp, which + ".json")
            log("== %s" % which)
            cmd = [sys.executable, os.path.abspath(__file__), "--only", which, "--manifest-out", out]
            if args.any_version:
                cmd.append("--any-version")
            subprocess.run(cmd, check=True)
            with open(out) as f:
                part = json.load(f)
            manifest += part["fixtures"]
            bad += part["bad"]
    write_manifests(manifest, bad)
    log("wrote %d fixtures, %d bad inputs" % (len(manifest), len(bad)))


if __name__ == "__main__":
    main()
