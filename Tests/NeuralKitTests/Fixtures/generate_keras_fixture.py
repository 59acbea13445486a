#!/usr/bin/env python3
"""Exports the Keras parity fixture for NeuralKit's tests (run once; CI does not need Keras).

The network is the write-up's scratch CNN (3 x [Conv2D 32 3x3 same, no activation, MaxPooling2D]
-> Flatten -> Dense 256 sigmoid -> Dense 128 sigmoid -> Dense N softmax) on a small non-square
input (20x12x3, so pooling drops odd rows/columns and Flatten has more than one position) and 5
classes, so the fixture stays under 1 MiB. Inputs are raw 0-255 values, as in the write-up.
It records Keras' initial weights, its predictions and loss, and the weights after 1 and after 5
SGD steps (learning rate 0.01, momentum 0.9) on the same batch.

Usage:  bench/.venv/bin/python Tests/NeuralKitTests/Fixtures/generate_keras_fixture.py
Writes keras_scratch_cnn.safetensors next to this script (safetensors written by hand here, so the
Swift reader is also checked against an independent writer).
"""
import json
import os
import struct

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

CLASSES, BATCH, SHAPE = 5, 8, (20, 12, 3)
LR, MOMENTUM, STEPS = 0.01, 0.9, 5


def build():
    keras.utils.set_random_seed(1234)
    m = keras.Sequential([
        keras.Input(shape=SHAPE),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d"),
        layers.MaxPooling2D((2, 2), name="max_pooling2d"),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d_1"),
        layers.MaxPooling2D((2, 2), name="max_pooling2d_1"),
        layers.Conv2D(32, (3, 3), padding="same", name="conv2d_2"),
        layers.MaxPooling2D((2, 2), name="max_pooling2d_2"),
        layers.Flatten(name="flatten"),
        layers.Dense(256, name="dense"),
        layers.Activation("sigmoid", name="activation"),
        layers.Dense(128, name="dense_1"),
        layers.Activation("sigmoid", name="activation_1"),
        layers.Dense(CLASSES, name="dense_2"),
        layers.Activation("softmax", name="activation_2"),
    ])
    m.compile(optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=MOMENTUM),
              loss="categorical_crossentropy", metrics=["accuracy"])
    return m


def weights(m):
    out = {}
    for layer in m.layers:
        for w in layer.weights:
            out[f"{layer.name}/{w.name}"] = np.array(w.numpy(), dtype=np.float32)
    return out


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    header["__metadata__"] = {"generator": "generate_keras_fixture.py", "keras": keras.__version__}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))
    os.replace(path + ".tmp", path)


def main():
    rng = np.random.default_rng(5)
    x = rng.integers(0, 256, size=(BATCH,) + SHAPE).astype(np.float32)
    labels = np.arange(BATCH) % CLASSES
    y = np.eye(CLASSES, dtype=np.float32)[labels]
    m = build()
    t = {"input": x, "labels": labels.astype(np.float32)}
    t.update({f"init/{k}": v for k, v in weights(m).items()})
    t["probabilities"] = m.predict(x, verbose=0).astype(np.float32)
    losses, accuracies = [], []
    for step in range(1, STEPS + 1):
        m.reset_metrics()  # so each value is this batch's, not a running mean
        loss, acc = m.train_on_batch(x, y)[:2]
        losses.append(loss)
        accuracies.append(acc)
        if step in (1, STEPS):
            t.update({f"step{step}/{k}": v for k, v in weights(m).items()})
    t["step_losses"] = np.array(losses, dtype=np.float32)
    t["step_accuracies"] = np.array(accuracies, dtype=np.float32)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_scratch_cnn.safetensors")
    write_safetensors(path, t)
    print(f"wrote {path} ({os.path.getsize(path)} bytes), keras {keras.__version__}, losses {losses}")


if __name__ == "__main__":
    main()
