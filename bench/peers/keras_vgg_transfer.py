#!/usr/bin/env python3
"""Keras peer for `tribelens-cli bench vgg-transfer`: the write-up's VGG16 transfer training
(VGG16 notop at 64x64x3, model.layers[:15] frozen, Flatten -> Dense 256 sigmoid -> Dense N
softmax, SGD lr 1e-4 momentum 0.9, batch 32, validation data each epoch) on synthetic data of the
write-up's sizes. Prints JSON with each epoch's seconds (Keras recomputes the frozen blocks every
epoch, as the write-up does) and the peak RSS.

    bench/.venv/bin/python bench/peers/keras_vgg_transfer.py [--train 34560] [--validation 960] [--epochs 2]
"""
import argparse, json, os, resource, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--train", type=int, default=34560)
p.add_argument("--validation", type=int, default=960)
p.add_argument("--epochs", type=int, default=2)
p.add_argument("--classes", type=int, default=24)
a = p.parse_args()

rng = np.random.default_rng(1)
x = rng.integers(0, 256, size=(a.train, 64, 64, 3), dtype=np.uint8).astype(np.float32)
y = keras.utils.to_categorical(np.arange(a.train) % a.classes, a.classes)
xv = rng.integers(0, 256, size=(a.validation, 64, 64, 3), dtype=np.uint8).astype(np.float32)
yv = keras.utils.to_categorical(np.arange(a.validation) % a.classes, a.classes)

base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))
top = keras.Sequential([layers.Input(base.output_shape[1:]), layers.Flatten(),
                        layers.Dense(256, activation="sigmoid"), layers.Dense(a.classes, activation="softmax")])
model = keras.Model(base.input, top(base.output))
for layer in model.layers[:15]:
    layer.trainable = False
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.SGD(learning_rate=1e-4, momentum=0.9),
              metrics=["accuracy"])


class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        seconds.append(time.perf_counter() - self.start)


seconds = []
model.fit(x, y, batch_size=32, epochs=a.epochs, validation_data=(xv, yv), verbose=0, callbacks=[Timer()])
print(json.dumps({"epoch_seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "keras": keras.__version__}))
