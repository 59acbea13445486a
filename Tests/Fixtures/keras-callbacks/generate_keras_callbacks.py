#!/usr/bin/env python3
"""Exports Keras' epoch-by-epoch ReduceLROnPlateau / EarlyStopping decisions on recorded
val_loss sequences, for Tests/FaceKitTests/Training/KerasCallbackTests.swift.

Runs a REAL `model.fit` (tiny Dense model, SGD) and, through a first callback, overwrites
logs["val_loss"] with the recorded value of the epoch before ReduceLROnPlateau and EarlyStopping
see it (Keras passes one logs dict through the callback list). Records the learning rate each
epoch trained with and the epoch training stopped at.

Usage (from the repository root):
  python3 -m venv bench/.venv && bench/.venv/bin/pip install keras jax jaxlib
  KERAS_BACKEND=jax bench/.venv/bin/python Tests/Fixtures/keras-callbacks/generate_keras_callbacks.py
"""
import json
import os
import random
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_callbacks.json")
WRITEUP_REDUCE = {"factor": 0.5, "patience": 2, "min_lr": 1e-8, "min_delta": 1e-4, "cooldown": 0}
WRITEUP_EARLY = {"patience": 3, "min_delta": 0.0}


class InjectValLoss(keras.callbacks.Callback):
    def __init__(self, sequence, lrs):
        super().__init__()
        self.sequence, self.lrs = sequence, lrs

    def on_epoch_begin(self, epoch, logs=None):
        self.lrs.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))

    def on_epoch_end(self, epoch, logs=None):
        logs["val_loss"] = float(self.sequence[epoch])


def run_case(name, val_loss, initial_lr, reduce, early):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=initial_lr),
                  loss="categorical_crossentropy")
    x = np.random.default_rng(0).normal(size=(8, 4)).astype("float32")
    y = keras.utils.to_categorical(np.arange(8) % 2, 2)
    lrs = []
    callbacks = [InjectValLoss(val_loss, lrs)]
    if reduce is not None:
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor="val_loss", **reduce))
    stopper = None
    if early is not None:
        stopper = keras.callbacks.EarlyStopping(monitor="val_loss", mode="min", **early)
        callbacks.append(stopper)
    history = model.fit(x, y, batch_size=8, epochs=len(val_loss), verbose=0, callbacks=callbacks)
    epochs_run = len(history.history["loss"])
    return {
        "name": name,
        "initial_lr": initial_lr,
        "reduce_lr_on_plateau": reduce,
        "early_stopping": early,
        "val_loss": [float(v) for v in val_loss],
        "expected_lr": lrs[:epochs_run],
        "epochs_run": epochs_run,
        # EarlyStopping fired (possibly on the very last epoch, where it changes nothing visible).
        "stopped_early": bool(stopper is not None and stopper.model.stop_training),
    }


def random_walk(seed, n, start=2.0):
    rng = random.Random(seed)
    values, v = [], start
    for _ in range(n):
        r = rng.random()
        if r < 0.45:
            v -= rng.uniform(0.001, 0.2)      # clear improvement
        elif r < 0.65:
            v -= rng.uniform(0.0, 2e-4)      # tiny: below ReduceLR's min_delta, above ES's 0
        elif r < 0.75:
            pass                              # exact plateau
        else:
            v += rng.uniform(0.0, 0.1)        # worse
        values.append(round(v, 9))
    return values


def main():
    cases = []
    # The write-up's settings on hand-made sequences.
    cases.append(run_case("improves-then-plateaus", [2.0, 1.5, 1.2, 1.1, 1.1, 1.2, 1.3, 1.05, 1.06, 1.07, 1.08, 1.09],
                          0.01, WRITEUP_REDUCE, WRITEUP_EARLY))
    cases.append(run_case("tiny-improvements", [1.0, 0.99995, 0.9999, 0.99985, 0.9998, 0.99975, 0.9997, 0.99965,
                                                0.9996, 0.99955, 0.9995, 0.99945, 1.5, 1.5, 1.5, 1.5],
                          0.01, WRITEUP_REDUCE, WRITEUP_EARLY))
    cases.append(run_case("exact-ties", [1.0, 1.0, 1.0, 1.0, 1.0, 1.0], 0.01, WRITEUP_REDUCE, WRITEUP_EARLY))
    cases.append(run_case("min-delta-boundary", [1.0, 0.9999, 0.99979, 0.9996, 0.9995, 0.9994, 0.9993, 0.9992],
                          0.01, WRITEUP_REDUCE, WRITEUP_EARLY))
    # lr reaches min_lr: tiny improvements keep EarlyStopping waiting while ReduceLR halves.
    cases.append(run_case("hits-min-lr", [1.0 - 5e-5 * i for i in range(14)], 1e-7, WRITEUP_REDUCE, WRITEUP_EARLY))
    cases.append(run_case("hits-min-lr-no-early-stop", [1.0] * 12, 3e-8, WRITEUP_REDUCE, None))
    cases.append(run_case("early-stop-only", [1.0, 0.9, 0.95, 0.96, 0.89, 0.9, 0.91, 0.92, 0.5], 0.01, None, WRITEUP_EARLY))
    cases.append(run_case("reduce-only-long", [3.0, 2.0, 2.5, 2.6, 1.9, 1.95, 1.96, 1.97, 1.98, 1.99, 2.0, 2.1, 1.0, 1.1, 1.2],
                          0.01, WRITEUP_REDUCE, None))
    # Other settings, so the general semantics (cooldown, min_delta, patience) are pinned down too.
    cases.append(run_case("cooldown", [1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 0.5, 0.6, 0.7, 0.8, 0.9],
                          0.1, {"factor": 0.1, "patience": 1, "min_lr": 1e-4, "min_delta": 0.0, "cooldown": 2}, None))
    cases.append(run_case("early-min-delta", [1.0, 0.95, 0.94, 0.93, 0.8, 0.79, 0.785, 0.78],
                          0.01, None, {"patience": 2, "min_delta": 0.05}))
    cases.append(run_case("patience-zero", [1.0, 0.9, 0.95], 0.01,
                          {"factor": 0.5, "patience": 0, "min_lr": 0.0, "min_delta": 0.0, "cooldown": 0},
                          {"patience": 0, "min_delta": 0.0}))
    for seed in range(12):
        cases.append(run_case(f"random-walk-{seed}", random_walk(seed, 50), 0.01, WRITEUP_REDUCE, WRITEUP_EARLY))
    for seed in range(4):
        cases.append(run_case(f"random-walk-reduce-only-{seed}", random_walk(100 + seed, 40), 0.01, WRITEUP_REDUCE, None))
    fixture = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases}
    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1)
    print(f"wrote {len(cases)} cases to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
