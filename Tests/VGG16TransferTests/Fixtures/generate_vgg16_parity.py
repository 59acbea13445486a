"""Exports what Keras computes for the write-up's VGG16 transfer network on deterministic weights,
so VGG16TransferTests can check NeuralKit's forward pass (and our Keras-HDF5 reading) against it.

The weights are not stored (VGG16 is 58 MB): both sides compute them from the same formula,
    u[i] = ((i * 2654435761 + layer * 40503) mod 2^32) / 2^32       (flat index i in Keras' layout)
    w[i] = (2 u[i] - 1) * sqrt(6 / fan_in)                            (He-uniform range)
    b[j] = 0.01 * (j mod 7)
in exact integer arithmetic and float64, rounded to float32. Inputs are two 64x64x3 "images" in 0..255 (raw, as the
write-up feeds them). Also writes keras_legacy_tiny.h5: a tiny model saved by Keras' own
legacy-HDF5 weight writer, for KerasWeightsFileTests-style reading of a real Keras file.

Run with Keras 3 + TensorFlow (bench/.venv from `make bench`):
    bench/.venv/bin/python Tests/VGG16TransferTests/Fixtures/generate_vgg16_parity.py
"""
import json, os
import numpy as np
import h5py
import keras
from keras import layers
from keras.src.legacy.saving import legacy_h5_format

here = os.path.dirname(os.path.abspath(__file__))
CLASSES = 5

def formula(shape, layer, fan_in):
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.uint64)
    u = ((i * np.uint64(2654435761) + np.uint64(layer * 40503)) & np.uint64(0xFFFFFFFF)).astype(np.float64) / 4294967296.0
    return ((2.0 * u - 1.0) * np.sqrt(6.0 / fan_in)).astype(np.float32).reshape(shape)

def bias(n, layer):
    return (0.01 * (np.arange(n) % 7)).astype(np.float32)

base = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))
top = keras.Sequential([layers.Input((2, 2, 512)), layers.Flatten(), layers.Dense(256, activation="sigmoid"),
                        layers.Dense(CLASSES, activation="softmax")])
model = keras.Model(base.input, top(base.output))

layer_index = 0
for layer in base.layers + top.layers:
    w = layer.get_weights()
    if not w:
        continue
    kernel_shape = w[0].shape
    fan_in = int(np.prod(kernel_shape[:-1]))
    layer.set_weights([formula(kernel_shape, layer_index, fan_in), bias(kernel_shape[-1], layer_index)])
    layer_index += 1

n = 2
idx = np.arange(n * 64 * 64 * 3)
x = ((idx * 7 + (idx // 192) * 13 + (idx // 12288) * 91) % 256).astype(np.float32).reshape(n, 64, 64, 3)

def out(name):
    return keras.Model(base.input, base.get_layer(name).output).predict(x, verbose=0)

fixture = {"keras_version": keras.__version__, "classes": CLASSES, "stride": 61, "blocks": {}}
for b in range(1, 6):
    y = out(f"block{b}_pool")
    fixture["blocks"][f"block{b}_pool"] = {"shape": list(y.shape), "sampled": [float(v) for v in y.reshape(-1)[::61]],
                                           "max_abs": float(np.abs(y).max())}
fixture["block5_pool_full"] = [float(v) for v in out("block5_pool").reshape(-1)]
fixture["probabilities"] = [float(v) for v in model.predict(x, verbose=0).reshape(-1)]
with open(os.path.join(here, "vgg16_parity.json"), "w") as f:
    json.dump(fixture, f)

# A tiny model written by Keras' own legacy weight writer (the layout of the VGG16 notop file).
tiny = keras.Sequential([layers.Input((6, 6, 3)), layers.Conv2D(2, 3, name="block1_conv1"),
                         layers.MaxPooling2D(name="block1_pool"), layers.Flatten(name="flatten"),
                         layers.Dense(3, name="dense_1")])
for k, layer in enumerate(l for l in tiny.layers if l.get_weights()):
    w = layer.get_weights()
    layer.set_weights([formula(w[0].shape, 10 + k, int(np.prod(w[0].shape[:-1]))), bias(w[0].shape[-1], 10 + k)])
with h5py.File(os.path.join(here, "keras_legacy_tiny.h5"), "w") as f:
    legacy_h5_format.save_weights_to_hdf5_group(f, tiny)
