#!/usr/bin/env python3
"""The write-up's own Keras code for its scratch CNN, run on a dataset exported by
`tribelens-cli dataset export` (same crops, split and 9x augmentation as TribeLens trains on):
raw 0-255 RGB input, 3 x [Conv2D 32 3x3 same (no activation), MaxPooling2D] -> Dense 256
sigmoid -> Dense 128 sigmoid -> Dense N softmax, optimizer='sgd', categorical cross-entropy,
batch 32, up to 50 epochs, ReduceLROnPlateau(val_loss, 0.5, 2, min_lr 1e-8), EarlyStopping(val_loss,
3), the test set as validation data. Prints one JSON line.

    bench/.venv/bin/python bench/peers/keras_writeup_cnn.py EXPORT_DIR SEED
"""
import json, os, sys, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402

folder, seed = sys.argv[1], int(sys.argv[2])
keras.utils.set_random_seed(seed)
x_train = np.load(os.path.join(folder, "x_train.npy")).astype(np.float32)
x_test = np.load(os.path.join(folder, "x_test.npy")).astype(np.float32)
classes = len(json.load(open(os.path.join(folder, "classes.json"))))
y_train = keras.utils.to_categorical(np.load(os.path.join(folder, "y_train.npy")), classes)
y_test = keras.utils.to_categorical(np.load(os.path.join(folder, "y_test.npy")), classes)

model = keras.Sequential([
    keras.Input((64, 64, 3)),
    layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
    layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
    layers.Conv2D(32, (3, 3), padding="same"), layers.MaxPooling2D((2, 2)),
    layers.Flatten(),
    layers.Dense(256), layers.Activation("sigmoid"),
    layers.Dense(128), layers.Activation("sigmoid"),
    layers.Dense(classes), layers.Activation("softmax"),
])
model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
times = []


class Timer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.t = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        times.append(time.perf_counter() - self.t)


callbacks = [keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-8),
             keras.callbacks.EarlyStopping(monitor="val_loss", patience=3), Timer()]
history = model.fit(x_train, y_train, batch_size=32, epochs=50, verbose=0, validation_data=(x_test, y_test),
                    callbacks=callbacks)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(json.dumps({"accuracy": accuracy, "epochs": len(history.history["loss"]),
                  "epoch_seconds": float(np.median(times)), "keras": keras.__version__}))
