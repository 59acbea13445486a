#!/usr/bin/env python3
"""Whole-run parity of NeuralKit with the write-up's Keras code (issue 18).

Both sides start from the same initial weights (Keras' own glorot_uniform draw, exported as
safetensors), see the same batches in the same order (a seeded permutation per epoch, passed to
Keras as an endless batch stream with steps_per_epoch and to `tribelens-cli bench parity` as an
.npy), the last partial batch included, raw 0-255 input, and run the write-up's callbacks
(ReduceLROnPlateau(val_loss, 0.5, 2, min_lr 1e-8), EarlyStopping(val_loss, 3)) with the test set as
validation data, for up to 50 epochs. Then loss, val_loss, the learning rate and the stopping epoch
are compared epoch by epoch.

    bench/.venv/bin/python bench/peers/keras_parity.py run --cli .build/release/tribelens-cli \
        --data EXPORT_DIR [--seed 1] [--epochs 50] [--out DIR] [--every N] [--init keras|neuralkit]
        [--floatx float64 --keras-only]   (a float64 reference for the same start)
        EXPORT_DIR: `tribelens-cli dataset export` output (x_train.npy, y_train.npy, x_test.npy, ...)
    bench/.venv/bin/python bench/peers/keras_parity.py fixture OUT.json
        the small version for NeuralKitTests (8x8x3 images, 3 classes, a few epochs); its initial
        weights are NeuralKit's own SplitMix64 glorot draw (seed 7), recomputed here, so the
        fixture carries no weights

Prints a table and one JSON summary line (max relative differences, lr and stop agreement).
"""
import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402

import safetensors_file  # noqa: E402  (beside this script)


def writeup_cnn(shape, classes):
    """The write-up's scratch CNN with Keras' automatic names spelled out (NeuralKit loads by name)."""
    return keras.Sequential([
        keras.Input(shape),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d"), layers.MaxPooling2D((2, 2), name="max_pooling2d"),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d_1"), layers.MaxPooling2D((2, 2), name="max_pooling2d_1"),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d_2"), layers.MaxPooling2D((2, 2), name="max_pooling2d_2"),
        layers.Flatten(name="flatten"),
        layers.Dense(256, name="dense"), layers.Activation("sigmoid", name="activation"),
        layers.Dense(128, name="dense_1"), layers.Activation("sigmoid", name="activation_1"),
        layers.Dense(classes, name="dense_2"), layers.Activation("softmax", name="activation_2"),
    ])


def weights(model):
    return {f"{l.name}/{w.name}": np.array(w.numpy(), dtype=np.float32) for l in model.layers for w in l.weights}


def orders_for(n, epochs, seed):
    rng = np.random.default_rng(seed)
    return np.stack([rng.permutation(n) for _ in range(epochs)]).astype(np.int32)


class RecordLR(keras.callbacks.Callback):
    """The learning rate each epoch trained with (read before the epoch, after last epoch's callbacks)."""

    def __init__(self):
        super().__init__()
        self.lrs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.lrs.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def keras_run(model, x, y, x_val, y_val, orders, batch, epochs, lr):
    """Keras' own fit with the write-up's callbacks; batches come from `orders`, epoch after epoch,
    through one endless stream (steps_per_epoch keeps one iterator across epochs, so no batch is
    re-drawn or skipped, and a prefetching tf.data cannot shift the epochs)."""
    steps = (len(x) + batch - 1) // batch

    def stream():
        for order in orders:
            for s in range(steps):
                idx = order[s * batch:(s + 1) * batch]
                yield x[idx].astype(np.float32), y[idx]
    signature = (tf.TensorSpec((None,) + x.shape[1:], tf.float32), tf.TensorSpec((None, y.shape[1]), tf.float32))
    data = tf.data.Dataset.from_generator(stream, output_signature=signature)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr), loss="categorical_crossentropy", metrics=["accuracy"])
    record = RecordLR()
    callbacks = [record,
                 keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-8),
                 keras.callbacks.EarlyStopping(monitor="val_loss", patience=3)]
    h = model.fit(data, steps_per_epoch=steps, epochs=epochs, verbose=0, validation_data=(x_val.astype(np.float32), y_val),
                  validation_batch_size=batch, callbacks=callbacks)
    n = len(h.history["loss"])
    rows = [{"epoch": e + 1, "loss": h.history["loss"][e], "accuracy": h.history["accuracy"][e],
             "val_loss": h.history["val_loss"][e], "val_accuracy": h.history["val_accuracy"][e], "lr": record.lrs[e]}
            for e in range(n)]
    test_loss, test_accuracy = model.evaluate(x_val.astype(np.float32), y_val, batch_size=batch, verbose=0)
    return rows, {"epochs": n, "stopped_epoch": n if n < epochs else 0, "test_loss": test_loss, "test_accuracy": test_accuracy}


def compare(keras_rows, nk_rows, keras_end, nk_end):
    print(f"{'epoch':>5} {'keras loss':>11} {'NK loss':>11} {'rel':>8} {'keras val':>11} {'NK val':>11} {'rel':>8} "
          f"{'keras lr':>10} {'NK lr':>10}")
    worst_loss = worst_val = 0.0
    lr_same = True
    # Until the schedules part, the curves measure the arithmetic; after it, two different runs.
    parted_at, before = None, (0.0, 0.0)
    for k, n in zip(keras_rows, nk_rows):
        rl = abs(n["loss"] - k["loss"]) / abs(k["loss"])
        rv = abs(n["val_loss"] - k["val_loss"]) / abs(k["val_loss"])
        same = np.float32(k["lr"]) == np.float32(n["lr"])
        if not same and parted_at is None:
            parted_at, before = k["epoch"], (worst_loss, worst_val)
        worst_loss, worst_val = max(worst_loss, rl), max(worst_val, rv)
        lr_same &= bool(same)
        print(f"{k['epoch']:>5} {k['loss']:>11.5f} {n['loss']:>11.5f} {rl:>8.1e} {k['val_loss']:>11.5f} {n['val_loss']:>11.5f} "
              f"{rv:>8.1e} {k['lr']:>10.3g} {n['lr']:>10.3g}{'' if same else '  <- lr differs'}")
    summary = {"keras_epochs": keras_end["epochs"], "neuralkit_epochs": nk_end["epochs"],
               "keras_stopped_epoch": keras_end["stopped_epoch"], "neuralkit_stopped_epoch": nk_end["stopped_epoch"],
               "max_rel_loss": worst_loss, "max_rel_val_loss": worst_val, "lr_schedule_same": lr_same,
               "lr_parts_at_epoch": parted_at,
               "max_rel_loss_before": before[0] if parted_at else worst_loss,
               "max_rel_val_loss_before": before[1] if parted_at else worst_val,
               "keras_test_accuracy": keras_end["test_accuracy"], "neuralkit_test_accuracy": nk_end["test_accuracy"]}
    print(json.dumps(summary))
    return summary


def write_curves(out, doc):
    with open(os.path.join(out, "curves.json"), "w") as f:
        json.dump(doc, f, indent=1)


def run(a):
    out = a.out or tempfile.mkdtemp(prefix="keras-parity-")
    os.makedirs(out, exist_ok=True)
    x = np.load(os.path.join(a.data, "x_train.npy"))
    y_idx = np.load(os.path.join(a.data, "y_train.npy"))
    x_val = np.load(os.path.join(a.data, "x_test.npy"))
    yv_idx = np.load(os.path.join(a.data, "y_test.npy"))
    data = a.data
    if a.every > 1:
        # Every Nth training image (the test set whole), for a machine too busy for the full run.
        x, y_idx = x[::a.every], y_idx[::a.every]
        data = os.path.join(out, "data")
        os.makedirs(data, exist_ok=True)
        for name, arr in [("x_train", x), ("y_train", y_idx), ("x_test", x_val), ("y_test", yv_idx)]:
            np.save(os.path.join(data, name + ".npy"), arr)
    classes = int(max(y_idx.max(), yv_idx.max())) + 1
    y, y_val = np.eye(classes, dtype=np.float32)[y_idx], np.eye(classes, dtype=np.float32)[yv_idx]
    keras.utils.set_random_seed(a.seed)
    keras.config.set_floatx(a.floatx)
    model = writeup_cnn(x.shape[1:], classes)
    if a.init == "neuralkit":
        neuralkit_init(model, a.seed)
    safetensors_file.write(os.path.join(out, "init.safetensors"), weights(model))
    orders = orders_for(len(x), a.epochs, a.seed)
    np.save(os.path.join(out, "orders.npy"), orders)
    t = time.time()
    keras_rows, keras_end = keras_run(model, x, y, x_val, y_val, orders, a.batch, a.epochs, a.lr)
    print(f"keras: {len(keras_rows)} epochs in {time.time() - t:.0f} s", file=sys.stderr)
    if a.keras_only:
        # A reference run (float64: what float32 rounding on either side is measured against).
        write_curves(out, {"keras": keras_rows, "keras_end": keras_end, "floatx": a.floatx})
        for r in keras_rows:
            print(json.dumps(r))
        return
    t = time.time()
    p = subprocess.run([a.cli, "bench", "parity", "--data", data, "--weights", os.path.join(out, "init.safetensors"),
                        "--orders", os.path.join(out, "orders.npy"), "--epochs", str(a.epochs),
                        "--batch-size", str(a.batch), "--learning-rate", str(a.lr)],
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"tribelens-cli bench parity failed: {p.stderr.strip()}")
    lines = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    print(f"neuralkit: {len(lines) - 1} epochs in {time.time() - t:.0f} s", file=sys.stderr)
    nk_rows, nk_end = lines[:-1], lines[-1]
    write_curves(out, {"keras": keras_rows, "keras_end": keras_end, "neuralkit": nk_rows, "neuralkit_end": nk_end})
    compare(keras_rows, nk_rows, keras_end, nk_end)


class SplitMix64:
    """NeuralKit's SeededGenerator (Sources/NeuralKit/Core/SeededGenerator.swift), bit for bit."""
    M = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.M

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.M
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.M
        return z ^ (z >> 31)


def neuralkit_init(model, seed):
    """NeuralKit's Sequential initialisation: glorot_uniform kernels drawn in layer order from one
    SplitMix64 stream, (u * 2 - 1) * limit in float32 with 24-bit u; zero biases."""
    g = SplitMix64(seed)
    for layer in model.layers:
        for w in layer.weights:
            if w.name == "bias":
                w.assign(np.zeros(w.shape, np.float32))
                continue
            shape = tuple(w.shape)
            receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
            fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
            limit = np.sqrt(np.float32(6.0) / np.float32(fan_in + fan_out), dtype=np.float32)
            u = np.array([g.next() >> 40 for _ in range(int(np.prod(shape)))], dtype=np.float32) * np.float32(1 / 16777216)
            w.assign(((u * np.float32(2) - np.float32(1)) * limit).astype(np.float32).reshape(shape))


def fixture(a):
    """Small, structured data (each class a colour ramp plus noise) so the loss falls and the
    schedule acts within a few epochs; batch 8 with a partial last batch. At a learning rate that
    makes the loss bounce, float32 rounding alone parts the curves (Keras in float64 against
    Keras in float32 differs by 6% within three epochs there), so this run is kept smooth."""
    shape, classes, n_train, n_val, batch, epochs, lr, seed = (8, 8, 3), 3, 36, 12, 8, 14, 0.05, 7
    rng = np.random.default_rng(11)

    def images(n):
        labels = np.arange(n) % classes
        base = np.zeros((n,) + shape, np.float32)
        for i, c in enumerate(labels):
            base[i, :, :, c] = np.linspace(40, 200, shape[0])[:, None]
        return np.clip(base + rng.normal(0, 60, base.shape), 0, 255).astype(np.uint8), labels
    x, y_idx = images(n_train)
    x_val, yv_idx = images(n_val)
    # A third of the validation faces carry another member's label (as the original preset's test
    # set keeps Haar's false hits): val_loss turns up once the model grows confident, so
    # ReduceLROnPlateau and EarlyStopping act while training itself stays smooth.
    yv_idx = np.where(np.arange(n_val) % 3 == 0, (yv_idx + 1) % classes, yv_idx)
    y, y_val = np.eye(classes, dtype=np.float32)[y_idx], np.eye(classes, dtype=np.float32)[yv_idx]
    keras.utils.set_random_seed(seed)
    model = writeup_cnn(shape, classes)
    neuralkit_init(model, seed)
    init_sums = {k: float(np.abs(v).sum()) for k, v in weights(model).items()}
    orders = orders_for(n_train, epochs, seed)
    rows, end = keras_run(model, x, y, x_val, y_val, orders, batch, epochs, lr)
    doc = {"generator": "bench/peers/keras_parity.py fixture", "keras": keras.__version__, "backend": keras.backend.backend(),
           "shape": list(shape), "classes": classes, "batch": batch, "epochs": epochs, "learning_rate": lr,
           "neuralkit_seed": seed, "init_abs_sums": init_sums,
           "x_train": base64.b64encode(x.tobytes()).decode(), "y_train": y_idx.tolist(),
           "x_val": base64.b64encode(x_val.tobytes()).decode(), "y_val": yv_idx.tolist(),
           "orders": orders.tolist(), "history": rows, "end": end}
    with open(a.out, "w") as f:
        json.dump(doc, f, indent=0)
    for r in rows:
        print(r)
    print(end)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("run")
    r.add_argument("--cli", required=True)
    r.add_argument("--data", required=True)
    r.add_argument("--seed", type=int, default=1)
    r.add_argument("--epochs", type=int, default=50)
    r.add_argument("--batch", type=int, default=32)
    r.add_argument("--lr", type=float, default=0.01)
    r.add_argument("--out")
    r.add_argument("--every", type=int, default=1, help="train on every Nth training image only")
    r.add_argument("--init", choices=["keras", "neuralkit"], default="keras",
                   help="whose draw both sides start from: Keras' glorot_uniform for --seed, or the one "
                        "NeuralKit's original preset makes for that seed (SplitMix64)")
    r.add_argument("--floatx", choices=["float32", "float64"], default="float32",
                   help="Keras' precision (float64 with --init neuralkit starts from the same float32 draw)")
    r.add_argument("--keras-only", action="store_true", help="only the Keras run; its curves to --out/curves.json")
    f = sub.add_parser("fixture")
    f.add_argument("out")
    a = p.parse_args()
    run(a) if a.mode == "run" else fixture(a)


if __name__ == "__main__":
    main()
