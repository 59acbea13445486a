#!/usr/bin/env python3
"""Keras 3 (tensorflow-cpu) peer for `tribelens-cli bench`: the same three measurements.

Training batches go through `train_on_batch` (one compiled step, as `fit` runs per batch) and
inference through `predict_on_batch`, after a warm-up that includes tracing.
"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

import common  # noqa: E402


def scratch_cnn():
    return keras.Sequential([
        keras.Input(shape=(64, 64, 3)),
        layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
        layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(256), layers.Activation("sigmoid"),
        layers.Dense(128), layers.Activation("sigmoid"),
        layers.Dense(common.CLASSES), layers.Activation("softmax"),
    ])


def vgg_block5_top():
    return keras.Sequential([
        keras.Input(shape=(4, 4, 512)),
        layers.Conv2D(512, (3, 3), padding="same", activation="relu", name="block5_conv1"),
        layers.Conv2D(512, (3, 3), padding="same", activation="relu", name="block5_conv2"),
        layers.Conv2D(512, (3, 3), padding="same", activation="relu", name="block5_conv3"),
        layers.MaxPooling2D((2, 2), name="block5_pool"),
        layers.Flatten(),
        layers.Dense(256, activation="sigmoid"),
        layers.Dense(common.CLASSES, activation="softmax"),
    ])


def vgg_blocks_1_to_4():
    vgg = keras.applications.VGG16(include_top=False, weights=None, input_shape=(64, 64, 3))
    return keras.Model(vgg.input, vgg.get_layer("block4_pool").output)


def main():
    a = common.arguments("keras")
    n = a.batch_size
    if a.bench == "vgg-frozen-infer":
        model = vgg_blocks_1_to_4()
        x = common.images(n)
        times = common.time_steps(lambda b: model.predict_on_batch(x), a.batches, a.warmup)
    else:
        if a.bench == "cnn-step":
            model, opt = scratch_cnn(), keras.optimizers.SGD(learning_rate=0.01)
            x = common.images(4 * n)
        else:
            model, opt = vgg_block5_top(), keras.optimizers.SGD(learning_rate=1e-4, momentum=0.9)
            x = common.features(2 * n)
        y = np.eye(common.CLASSES, dtype=np.float32)[common.labels(len(x))]
        model.compile(optimizer=opt, loss="categorical_crossentropy", metrics=["accuracy"])
        chunks = len(x) // n

        def step(b):
            s = (b % chunks) * n
            model.train_on_batch(x[s:s + n], y[s:s + n])
        times = common.time_steps(step, a.batches, a.warmup)
    common.report("keras", a.bench, n, times, note=f"keras {keras.__version__}")


if __name__ == "__main__":
    main()
