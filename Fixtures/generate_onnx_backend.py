#!/usr/bin/env python3
"""Regenerates ONNX's own backend node tests for LSTM, GRU and RNN into Fixtures/onnx/backend/, and the
weights-as-graph-inputs exports of Fixtures/onnx/bind/.

The onnx wheel ships the test-case code (onnx/backend/test/case/node/lstm.py, gru.py, rnn.py) but
not the data. This script runs those case generators through the package's own entry point,
`onnx.backend.test.case.node.collect_testcases(op_type)`, and writes each case the way
`onnx.backend.test.cmd_tools generate-data` does:

    Fixtures/onnx/backend/<test_name>/model.onnx
    Fixtures/onnx/backend/<test_name>/test_data_set_0/input_K.pb, output_K.pb

Expected outputs are ONNX's own (the numpy reference in the case code, at ONNX's tolerance rtol 1e-3,
atol 1e-7); as a second opinion every case is also run with ONNX Runtime, which must agree at that
tolerance. One case (`test_gru_seq_length`) draws its weights with np.random without a seed: numpy is
seeded here so that a rerun writes the same files.

Fixtures/onnx/bind/ (lstmc-fixture-1 fixtures, ONNX Runtime as the oracle, torch as a check):
    torch_keep_inits.onnx   nn.LSTM(5 -> 4, batch_first) -> nn.Linear(4 -> 3) on y[:, -1], exported by
                            torch.onnx.export (TorchScript) with keep_initializers_as_inputs=True: every
                            initializer is also listed as a graph input. Fixture: x only.
    torch_weights_as_inputs.onnx
                            the same export with every initializer turned into a plain graph input (no
                            initializers left), as hand-written files and ONNX's backend tests give weights.
                            Fixture: x and every weight, each under its graph input name.

Run with the venv of requirements-onnx.txt (onnx 1.23.2, onnxruntime 1.32.0):
    /work/venv/onnx/bin/python Fixtures/generate_onnx_backend.py
"""

import json
import os
import shutil
import sys
import warnings

import numpy as np
import onnx
import onnxruntime
from onnx import numpy_helper
from onnx.backend.test.case import node as node_cases
from onnx.reference import ReferenceEvaluator

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "onnx", "backend")
OPS = ["LSTM", "GRU", "RNN"]
VERSIONS = {"onnx": "1.23.2", "onnxruntime": "1.32.0", "torch": "2.15.0"}


def check_versions():
    import torch

    found = {"onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__,
             "torch": torch.__version__.split("+")[0]}
    if found != VERSIONS and "--any-version" not in sys.argv:
        sys.exit(f"expected {VERSIONS}, found {found}; pass --any-version to run anyway")


def collect():
    """Every node test case of the three recurrent ops, in the case code's order.

    The case classes run their export_* generators when their module is first imported, so
    collect_testcases records cases once per process: collect them all and keep the recurrent ones.
    """
    # Importing the case modules runs every op's generators, some of which warn about inf/nan.
    warnings.simplefilter("ignore", RuntimeWarning)
    np.random.seed(0)
    cases = node_cases.collect_testcases()
    recurrent = [case for case in cases if case.model.graph.node[0].op_type in OPS]
    return sorted(recurrent, key=lambda case: (OPS.index(case.model.graph.node[0].op_type), case.name))


def write(case):
    folder = os.path.join(OUT, case.name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    data = os.path.join(folder, "test_data_set_0")
    os.makedirs(data)
    model = case.model
    with open(os.path.join(folder, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    (inputs, outputs) = case.data_sets[0]
    for j, value in enumerate(inputs):
        tensor = numpy_helper.from_array(value, model.graph.input[j].name)
        with open(os.path.join(data, f"input_{j}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    for j, value in enumerate(outputs):
        tensor = numpy_helper.from_array(value, model.graph.output[j].name)
        with open(os.path.join(data, f"output_{j}.pb"), "wb") as f:
            f.write(tensor.SerializeToString())
    # A second oracle must agree with ONNX's expected outputs at ONNX's tolerance: ONNX Runtime, or, for
    # what it refuses (layout 1, "batchwise"), onnx's own ReferenceEvaluator.
    feeds = {model.graph.input[j].name: value for j, value in enumerate(inputs)}
    try:
        session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        actuals, checker = session.run(None, feeds), f"onnxruntime {onnxruntime.__version__}"
    except Exception as error:  # noqa: BLE001 - ORT raises its own Fail type
        if "layout" not in str(error):
            raise
        actuals = ReferenceEvaluator(model).run(None, feeds)
        checker = f"onnx.reference {onnx.__version__} (onnxruntime refuses layout 1)"
    for expected, actual in zip(outputs, actuals):
        np.testing.assert_allclose(actual, expected, rtol=case.rtol, atol=case.atol)
    return {
        "name": case.name,
        "op": model.graph.node[0].op_type,
        "opset": model.opset_import[0].version,
        "inputs": [i.name for i in model.graph.input],
        "outputs": [o.name for o in model.graph.output],
        "attributes": sorted(a.name for a in model.graph.node[0].attribute),
        "checked_by": checker,
        "rtol": case.rtol,
        "atol": case.atol,
    }


def write_bind_fixtures():
    """The keep_initializers_as_inputs export and its weights-as-inputs twin."""
    import copy

    import torch

    sys.path.insert(0, HERE)
    from fixture_io import dump_fixture, float_inputs, tensor_json

    folder = os.path.join(HERE, "onnx", "bind")
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    torch.manual_seed(0)
    rng = np.random.default_rng(0)

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = torch.nn.LSTM(5, 4, batch_first=True)
            self.fc = torch.nn.Linear(4, 3)
            with torch.no_grad():
                # Per-gate bias offsets (i, f, g, o in PyTorch's order) so that a wrong gate order shows.
                for k, offset in enumerate([0.3, 0.8, -0.2, 0.5]):
                    self.lstm.bias_ih_l0[4 * k : 4 * k + 4] += offset

        def forward(self, x):
            y, _ = self.lstm(x)
            return self.fc(y[:, -1])

    net = Net().eval()
    x = float_inputs(rng, (3, 8, 5))
    with torch.no_grad():
        reference = net(torch.from_numpy(x)).numpy()
    keep = os.path.join(folder, "torch_keep_inits.onnx")
    torch.onnx.export(
        net, (torch.from_numpy(x),), keep, dynamo=False, opset_version=14, input_names=["x"],
        output_names=["y"], dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, do_constant_folding=True,
        keep_initializers_as_inputs=True)
    model = onnx.load(keep)
    onnx.checker.check_model(model)
    names = [i.name for i in model.graph.initializer]
    assert names and all(n in [i.name for i in model.graph.input] for n in names), "initializers not listed"

    inputs_model = copy.deepcopy(model)
    weights = {t.name: numpy_helper.to_array(t) for t in inputs_model.graph.initializer}
    del inputs_model.graph.initializer[:]
    onnx.checker.check_model(inputs_model)
    onnx.save(inputs_model, os.path.join(folder, "torch_weights_as_inputs.onnx"))

    producer = {"framework": "onnxruntime", "version": onnxruntime.__version__,
                "script": "Fixtures/generate_onnx_backend.py"}
    for stem, proto, feeds in [
        ("torch_keep_inits", model, {"x": x}),
        ("torch_weights_as_inputs", inputs_model, {"x": x, **weights}),
    ]:
        session = onnxruntime.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
        (y,) = session.run(None, feeds)
        np.testing.assert_allclose(y, reference, rtol=1e-5, atol=1e-5)
        order = [i.name for i in proto.graph.input if i.name in feeds]
        dump_fixture(os.path.join(folder, stem + ".fixture.json"), {
            "model": stem + ".onnx", "producer": producer, "tolerance": {"abs": 1e-5, "rel": 1e-4},
            "inputs": [tensor_json(n, feeds[n]) for n in order], "outputs": [tensor_json("y", y)]})
        print(f"{stem}: inputs {order}")


def main():
    check_versions()
    onnxruntime.set_default_logger_severity(4)  # its refusal of layout 1 is expected and handled
    if os.path.exists(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    manifest = []
    for case in collect():
        assert len(case.model.graph.node) == 1, case.name
        entry = write(case)
        manifest.append(entry)
        print(f"{case.name}: {entry['op']}, inputs {entry['inputs']}, outputs {entry['outputs']}")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    write_bind_fixtures()


if __name__ == "__main__":
    main()
