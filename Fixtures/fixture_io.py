"""Fixture writing shared by generate.py (Keras) and generate_onnx.py (ONNX).

Only formatting lives here: every expected value is computed by the
framework in the calling script, never by this module.
"""

import json
import sys

import numpy as np


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fmt_value(v, dtype):
    """A float that reads back as the same value of `dtype` (float32: 9 significant digits)."""
    if dtype == "float16":
        s = float("%.5g" % float(v))
        assert np.float16(s) == v, (s, v)
        return s
    if dtype == "float32":
        return float("%.9g" % float(np.float32(v)))
    return float(repr(float(v)))


def tensor_json(name, arr):
    """An lstmc-fixture-1 tensor: float16/32/64 keep their width, integers become int32/int64."""
    arr = np.asarray(arr)
    if arr.dtype.kind == "f":
        dtype = {2: "float16", 4: "float32", 8: "float64"}[arr.dtype.itemsize]
        if not np.all(np.isfinite(arr)):
            raise ValueError("non-finite value in tensor %s" % name)
        data = [fmt_value(v, dtype) for v in arr.ravel()]
    elif arr.dtype.kind in "iu":
        data = [int(v) for v in arr.ravel()]
        dtype = "int32" if arr.dtype.itemsize <= 4 else "int64"
    else:
        raise ValueError("unsupported dtype %s" % arr.dtype)
    return {"name": name, "dtype": dtype, "shape": [int(d) for d in arr.shape], "data": data}


def dump_fixture(path, fx):
    """Readable layout, each tensor's data on one compact line."""
    def tlist(ts):
        parts = []
        for t in ts:
            parts.append(
                '    {"name": %s, "dtype": %s, "shape": %s,\n     "data": %s}'
                % (json.dumps(t["name"]), json.dumps(t["dtype"]),
                   json.dumps(t["shape"]), json.dumps(t["data"], separators=(",", ":"))))
        return "[\n" + ",\n".join(parts) + "\n  ]"

    head = ['  "format": "lstmc-fixture-1"']
    if "model" in fx:
        head.append('  "model": %s' % json.dumps(fx["model"]))
    head.append('  "producer": %s' % json.dumps(fx["producer"]))
    head.append('  "tolerance": %s' % json.dumps(fx["tolerance"]))
    head.append('  "inputs": %s' % tlist(fx["inputs"]))
    head.append('  "outputs": %s' % tlist(fx["outputs"]))
    text = "{\n" + ",\n".join(head) + "\n}\n"
    json.loads(text)  # sanity
    with open(path, "w") as f:
        f.write(text)


def float_inputs(rng, shape):
    """normal*2 clipped to +-4.5; a few values guaranteed beyond +-3."""
    x = np.clip(rng.normal(size=shape) * 2.0, -4.5, 4.5).astype(np.float32)
    x[0, 0, 0] = 4.25
    x[-1, -1, -1] = -3.75
    x[min(1, shape[0] - 1), shape[1] // 2, shape[2] - 1] = 3.5
    return x
