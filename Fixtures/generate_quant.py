#!/usr/bin/env python3
"""Trained models for issue 12 (integer inference), and TensorFlow Lite's int8 anchor.

Random weights do not have the ranges trained models have, so the quantization
evidence comes from models trained here, in seconds on the CPU, on synthetic
tasks with fixed seeds:

    sine      multi-sine next-value regression, LSTM(16) -> Dense(1)
    activity  6-channel activity-like classification, 64 steps,
              LSTM(32) -> Dense(4, softmax)  (issue 12's example)
    stacked   Bidirectional(LSTM(12), seq) -> LSTM(16) -> Dense(3, softmax)
    large     8 channels, LSTM(128) -> Dense(6, softmax), 70 k parameters
    gru       the sine task with GRU(16) -> Dense(1) (for quantized GRU)

Per model, in Fixtures/quant/:

    <name>.h5                  tf-keras 2 model (model.save, include_optimizer=False)
    <name>.calibration.npy     float32 [batch, time, features] calibration sequences
                               (drawn apart from the training and test sequences)
    <name>.fixture.json        lstmc-fixture-1: test sequences and the float
                               model's outputs (model.predict of the re-loaded file)
    <name>.tflite.json         the anchor: TensorFlow Lite's full-integer (int8)
                               converter, representative_dataset = the calibration
                               sequences, its interpreter's outputs on the test
                               sequences, and their error against the float
                               outputs (computed here, in numpy), or the
                               converter's refusal

`sine` and `gru` share one task, so `gru` uses `sine.calibration.npy`.

Inputs lie on a grid of 1/64 (a 6-bit-fraction ADC), which keeps the JSON
short; every expected value is still what Keras / TensorFlow Lite computed.

Run (from the repository root, venv with Fixtures/requirements-onnx.txt):

    /work/venv/onnx/bin/python Fixtures/generate_quant.py

It takes a few minutes on 2 busy cores; everything is seeded (TensorFlow's
op determinism on), so a rerun gives the same numbers.
"""

import argparse
import json
import os
import subprocess
import sys


def _env():
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ["TF_USE_LEGACY_KERAS"] = "1"


_env()

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fixture_io import dump_fixture, log, tensor_json  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "quant")
SCRIPT = "Fixtures/generate_quant.py"
PINS = {"tensorflow": "2.21.0", "tf_keras": "2.21.0"}
GRID = 64.0  # inputs are multiples of 1/64


def grid(x):
    return (np.round(np.asarray(x, dtype=np.float64) * GRID) / GRID).astype(np.float32)


# --------------------------------------------------------------------------
# Tasks: each returns (x, y) for n sequences from a numpy Generator.


def sine_task(rng, n, steps=32):
    """Sum of two sines with random frequencies, phases and amplitudes plus
    noise; the target is the next value. Input [n, steps, 1]."""
    t = np.arange(steps + 1)[None, :]
    f1 = rng.uniform(0.05, 0.2, size=(n, 1))
    f2 = rng.uniform(0.2, 0.45, size=(n, 1))
    a1 = rng.uniform(0.5, 1.5, size=(n, 1))
    a2 = rng.uniform(0.1, 0.6, size=(n, 1))
    p1 = rng.uniform(0, 2 * np.pi, size=(n, 1))
    p2 = rng.uniform(0, 2 * np.pi, size=(n, 1))
    s = a1 * np.sin(2 * np.pi * f1 * t + p1) + a2 * np.sin(2 * np.pi * f2 * t + p2)
    s = s + rng.normal(scale=0.03, size=s.shape)
    x = grid(s[:, :steps, None])
    y = s[:, steps:steps + 1].astype(np.float32)
    return x, y


def activity_task(rng, n, steps=64, channels=6, classes=4):
    """Activity-like sensor windows: class 0 still (noise and gravity offset),
    1 walking (1.8 Hz-like periodic on accelerometer channels), 2 running
    (faster, larger, harmonics), 3 turning (slow drift on gyro channels).
    Random amplitude, phase, offset and noise per window."""
    labels = rng.integers(0, classes, size=n)
    t = np.arange(steps)[None, :, None]
    x = np.zeros((n, steps, channels))
    x += rng.normal(scale=0.6, size=x.shape)
    x[:, :, 2] += 1.0  # gravity on z
    x += rng.normal(scale=0.2, size=(n, 1, channels))  # sensor offset
    phase = rng.uniform(0, 2 * np.pi, size=(n, 1, 1))
    amp = rng.uniform(0.3, 1.0, size=(n, 1, 1))
    mix = rng.uniform(0.3, 1.0, size=(n, 1, channels))
    for k in range(n):
        c = labels[k]
        if c == 1:
            w = 2 * np.pi * rng.uniform(0.05, 0.08)
            x[k, :, :3] += (amp[k] * mix[k, :, :3] * np.sin(w * t[0] + phase[k]))
            x[k, :, 3:] += 0.3 * amp[k] * mix[k, :, 3:] * np.cos(w * t[0] + phase[k])
        elif c == 2:
            w = 2 * np.pi * rng.uniform(0.1, 0.15)
            base = np.sin(w * t[0] + phase[k]) + 0.4 * np.sin(2 * w * t[0] + phase[k])
            x[k, :, :3] += 1.2 * amp[k] * mix[k, :, :3] * base
            x[k, :, 3:] += 0.6 * amp[k] * mix[k, :, 3:] * np.cos(w * t[0])
        elif c == 3:
            ramp = np.linspace(0, rng.choice([-1.0, 1.0]) * rng.uniform(0.3, 1.2), steps)[:, None]
            x[k, :, 3:] += ramp * mix[k, :, 3:] + 0.4 * amp[k] * np.sin(0.03 * 2 * np.pi * t[0] + phase[k])
    onehot = np.eye(classes, dtype=np.float32)[labels]
    return grid(x), onehot


def stacked_task(rng, n, steps=24, channels=4, classes=3):
    """Which channel carries a short burst, and whether it comes early, decides
    the class: 0 burst on channel 0 or 1 in the first half, 1 the same in the
    second half, 2 a burst on channels 2 or 3 anywhere. Bidirectional context
    helps."""
    labels = rng.integers(0, classes, size=n)
    x = rng.normal(scale=0.6, size=(n, steps, channels))
    for k in range(n):
        c = labels[k]
        width = rng.integers(3, 6)
        if c == 0:
            start = rng.integers(0, steps // 2 - width)
        elif c == 1:
            start = rng.integers(steps // 2, steps - width)
        else:
            start = rng.integers(0, steps - width)
        ch = rng.integers(0, 2) if c < 2 else rng.integers(2, 4)
        x[k, start:start + width, ch] += rng.uniform(0.6, 1.6) * rng.choice([-1.0, 1.0])
    return grid(x), np.eye(classes, dtype=np.float32)[labels]


def large_task(rng, n, steps=24, channels=8, classes=6):
    """Six classes of multichannel patterns: a frequency band times a channel
    group (low/high frequency on channels 0-3, 4-7, or all)."""
    labels = rng.integers(0, classes, size=n)
    t = np.arange(steps)
    x = rng.normal(scale=0.8, size=(n, steps, channels))
    for k in range(n):
        c = labels[k]
        f = rng.uniform(0.04, 0.08) if c % 2 == 0 else rng.uniform(0.15, 0.25)
        group = [slice(0, 4), slice(4, 8), slice(0, 8)][c // 2]
        wave = rng.uniform(0.3, 1.0) * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
        x[k, :, group] += wave[:, None] * rng.uniform(0.5, 1.0, size=(1, channels))[:, group]
    return grid(x), np.eye(classes, dtype=np.float32)[labels]


# --------------------------------------------------------------------------
# Models


def build(name, K):
    L = K.layers
    if name == "sine":
        return K.Sequential([L.InputLayer(input_shape=(None, 1), name="signal"), L.LSTM(16, name="lstm"),
                             L.Dense(1, name="next")], name=name)
    if name == "gru":
        return K.Sequential([L.InputLayer(input_shape=(None, 1), name="signal"), L.GRU(16, name="gru"),
                             L.Dense(1, name="next")], name=name)
    if name == "activity":
        return K.Sequential([L.InputLayer(input_shape=(None, 6), name="sensors"), L.LSTM(32, name="lstm"),
                             L.Dense(4, activation="softmax", name="activity")], name=name)
    if name == "stacked":
        return K.Sequential([
            L.InputLayer(input_shape=(None, 4), name="channels"),
            L.Bidirectional(L.LSTM(12, return_sequences=True), name="bidirectional"),
            L.LSTM(16, name="lstm"),
            L.Dense(3, activation="softmax", name="burst")], name=name)
    if name == "large":
        return K.Sequential([L.InputLayer(input_shape=(None, 8), name="channels"), L.LSTM(128, name="lstm"),
                             L.Dense(6, activation="softmax", name="pattern")], name=name)
    raise ValueError(name)


# name: (task, seed, train n, calibration n, test n, epochs, loss, shares calibration with)
MODELS = {
    "sine": (sine_task, 11, 3000, 200, 64, 12, "mse", None),
    "gru": (sine_task, 11, 3000, 200, 64, 12, "mse", "sine"),
    "activity": (activity_task, 12, 2000, 200, 64, 8, "categorical_crossentropy", None),
    "stacked": (stacked_task, 13, 3000, 100, 64, 15, "categorical_crossentropy", None),
    "large": (large_task, 14, 2000, 100, 64, 6, "categorical_crossentropy", None),
}


# --------------------------------------------------------------------------
# Error statistics (the same definitions as lstmc's ErrorStatistics)


def error_stats(expected, actual):
    e = np.asarray(expected, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    d = a - e
    result = {
        "max_abs": float(np.max(np.abs(d))),
        "rms": float(np.sqrt(np.mean(d * d))),
        "snr_db": float(10 * np.log10(np.sum(e * e) / np.sum(d * d))) if np.sum(d * d) > 0 else None,
    }
    if e.ndim == 2 and e.shape[1] > 1:
        result["argmax_agreement"] = float(np.mean(np.argmax(e, axis=1) == np.argmax(a, axis=1)))
    return result


# --------------------------------------------------------------------------


def stage(name, what):
    """Records what the anchor child is doing, so that a crash can be reported as crashing there."""
    with open(os.path.join(OUT, name + ".stage.tmp"), "w") as f:
        f.write(what)


RESOLVERS = ("BUILTIN_REF", "BUILTIN_WITHOUT_DEFAULT_DELEGATES")


def interpreter_for(tf, flat):
    """The reference kernels (what TensorFlow Lite Micro is ported from), no XNNPACK delegate;
    where they lack an op (int8 REVERSE_V2 of a Bidirectional), the builtin optimized kernels."""
    for resolver in RESOLVERS:
        try:
            interpreter = tf.lite.Interpreter(
                model_content=flat, experimental_op_resolver_type=getattr(tf.lite.experimental.OpResolverType,
                                                                          resolver))
        except ValueError:
            if resolver == RESOLVERS[-1]:
                raise
            continue
        interpreter.allocate_tensors()
        interpreter.resolver = resolver
        return interpreter


def run_tflite(tf, flat, test, shape):
    """The TensorFlow Lite model `flat` on every test sequence, one at a time."""
    interpreter = interpreter_for(tf, flat)
    inp = interpreter.get_input_details()[0]
    out = interpreter.get_output_details()[0]
    rows = []
    for k in range(test.shape[0]):
        # The fused LSTM's h and c are variable tensors that keep their values from one invoke
        # to the next: every sequence starts from zero state, as in Keras.
        interpreter.reset_all_variables()
        interpreter.set_tensor(inp["index"], test[k:k + 1])
        interpreter.invoke()
        rows.append(np.array(interpreter.get_tensor(out["index"]), dtype=np.float32).reshape(shape[1:]))
    return np.stack(rows)


def tflite_anchor(tf, model, calibration, test, float_out, name):
    """TensorFlow Lite's full-integer int8 conversion, calibrated on `calibration`,
    run on `test` one sequence at a time (float input and output at the boundary)."""
    steps, features = test.shape[1], test.shape[2]
    func = tf.function(lambda x: model(x, training=False),
                       input_signature=[tf.TensorSpec([1, steps, features], tf.float32)])
    concrete = func.get_concrete_function()
    # The same conversion without quantization first: it must reproduce Keras, so that the int8
    # model's error is quantization and nothing else.
    plain = tf.lite.TFLiteConverter.from_concrete_functions([concrete], model)
    stage(name, "the float conversion")
    try:
        float_max_abs = float(np.max(np.abs(run_tflite(tf, plain.convert(), test, float_out.shape) - float_out)))
    except Exception as error:
        float_max_abs = "refused: %s" % " ".join(str(error).split())[:300]
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]

    def representative():
        for k in range(calibration.shape[0]):
            yield [calibration[k:k + 1]]

    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.float32
    converter.inference_output_type = tf.float32
    settings = {
        "optimizations": ["DEFAULT"], "supported_ops": ["TFLITE_BUILTINS_INT8"],
        "representative_dataset": "%s.calibration.npy, one sequence per sample" % name,
        "inference_input_type": "float32", "inference_output_type": "float32",
    }
    stage(name, "the int8 conversion (calibration on the representative dataset)")
    try:
        flat = converter.convert()
    except Exception as error:  # the converter's refusal is the record
        message = str(error).strip().splitlines()
        return {"converted": False, "settings": settings,
                "refusal": " ".join(line.strip() for line in message if line.strip())[:600]}
    stage(name, "the int8 model's interpreter")
    interpreter = interpreter_for(tf, flat)
    ops = sorted({d["op_name"] for d in interpreter._get_ops_details()})
    settings["interpreter"] = "tf.lite.Interpreter, OpResolverType.%s, no delegate" % interpreter.resolver
    outputs = run_tflite(tf, flat, test, float_out.shape)
    return {"converted": True, "settings": settings, "ops": ops, "bytes": len(flat),
            "float_conversion_max_abs": float_max_abs,
            "outputs": [tensor_json(model.layers[-1].name, outputs)],
            "error": [dict(name=model.layers[-1].name, **error_stats(float_out, outputs))]}


def generate(name, tf, K):
    task, seed, n_train, n_cal, n_test, epochs, loss, shared = MODELS[name]
    K.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()
    rng = np.random.default_rng(seed)
    x_train, y_train = task(rng, n_train)
    x_cal, _ = task(rng, n_cal)
    x_test, y_test = task(rng, n_test)
    model = build(name, K)
    if loss != "mse":  # probabilities away from 0 and 1, so that the softmax does not hide the error
        loss = K.losses.CategoricalCrossentropy(label_smoothing=0.1)
    model.compile(optimizer=K.optimizers.Adam(0.01 if name != "large" else 0.005), loss=loss,
                  metrics=[])
    history = model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=0, shuffle=True)
    path = os.path.join(OUT, name + ".h5")
    model.save(path, include_optimizer=False)
    loaded = K.models.load_model(path, compile=False)
    expected = loaded.predict(x_test, verbose=0)
    assert np.allclose(expected, model.predict(x_test, verbose=0), atol=1e-6)
    cal_name = (shared or name) + ".calibration.npy"
    if not shared:
        np.save(os.path.join(OUT, cal_name), x_cal)
    else:
        assert np.array_equal(np.load(os.path.join(OUT, cal_name)), x_cal)
    out_name = loaded.layers[-1].name
    fixture = {
        "model": name + ".h5",
        "producer": {"framework": "tf-keras", "version": K.__version__, "script": SCRIPT},
        "tolerance": {"abs": 1e-5, "rel": 1e-4},
        "inputs": [tensor_json(loaded.inputs[0].name.split(":")[0], x_test)],
        "outputs": [tensor_json(out_name, expected)],
    }
    dump_fixture(os.path.join(OUT, name + ".fixture.json"), fixture)
    task_quality = {"final_loss": float(history.history["loss"][-1])}
    if not isinstance(loss, str):
        task_quality["test_accuracy"] = float(np.mean(np.argmax(expected, 1) == np.argmax(y_test, 1)))
    else:
        task_quality["test_rms_vs_target"] = float(np.sqrt(np.mean((expected - y_test) ** 2)))
    # The converter can crash the process (it does on the GRU): a child process of its own.
    np.save(os.path.join(OUT, name + ".test.tmp.npy"), x_test)
    np.save(os.path.join(OUT, name + ".expected.tmp.npy"), expected)
    child = subprocess.run([sys.executable, os.path.abspath(__file__), "--anchor", name, cal_name])
    os.remove(os.path.join(OUT, name + ".test.tmp.npy"))
    os.remove(os.path.join(OUT, name + ".expected.tmp.npy"))
    if child.returncode == 0:
        with open(os.path.join(OUT, name + ".anchor.tmp.json")) as f:
            anchor = json.load(f)
        os.remove(os.path.join(OUT, name + ".anchor.tmp.json"))
    else:
        with open(os.path.join(OUT, name + ".stage.tmp")) as f:
            where = f.read()
        anchor = {"converted": False, "refusal": "TensorFlow Lite crashed the process in %s (%s)" % (
            where, "signal %d" % -child.returncode if child.returncode < 0 else "exit code %d" % child.returncode)}
    if os.path.exists(os.path.join(OUT, name + ".stage.tmp")):
        os.remove(os.path.join(OUT, name + ".stage.tmp"))
    record = {
        "model": name + ".h5", "fixture": name + ".fixture.json", "calibration": cal_name,
        "producer": {"framework": "tensorflow-lite", "version": tf.__version__, "script": SCRIPT},
        "parameters": int(loaded.count_params()), "float_bytes": int(loaded.count_params()) * 4,
        "calibration_sequences": int(x_cal.shape[0]), "test_sequences": int(x_test.shape[0]),
        "training": task_quality,
    }
    record.update(anchor)
    with open(os.path.join(OUT, name + ".tflite.json"), "w") as f:
        text = json.dumps(record, indent=1)
        f.write(text + "\n")
    summary = {k: v for k, v in record.items() if k not in ("outputs",)}
    log(name, json.dumps(summary))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=list(MODELS))
    parser.add_argument("--any-version", action="store_true")
    parser.add_argument("--anchor", nargs=2, help=argparse.SUPPRESS)  # child: NAME CALIBRATION
    args = parser.parse_args()
    if args.anchor:
        import tensorflow as tf
        import tf_keras as K
        name, cal_name = args.anchor
        model = K.models.load_model(os.path.join(OUT, name + ".h5"), compile=False)
        anchor = tflite_anchor(tf, model, np.load(os.path.join(OUT, cal_name)),
                               np.load(os.path.join(OUT, name + ".test.tmp.npy")),
                               np.load(os.path.join(OUT, name + ".expected.tmp.npy")), name)
        with open(os.path.join(OUT, name + ".anchor.tmp.json"), "w") as f:
            json.dump(anchor, f)
        return
    if not args.any_version:
        from importlib import metadata
        bad = ["%s %s (want %s)" % (d, metadata.version(d), w) for d, w in PINS.items()
               if metadata.version(d) != w]
        if bad:
            sys.exit("wrong versions: " + ", ".join(bad) + " (--any-version skips this check)")
    import tensorflow as tf
    import tf_keras as K
    os.makedirs(OUT, exist_ok=True)
    for name in args.only:
        generate(name, tf, K)


if __name__ == "__main__":
    main()
