"""Writes keras_legacy_small.h5: a tiny file in the attribute layout of Keras' legacy weight files
(as in vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5): fixed-length byte-string attributes
`layer_names`, `backend`, `keras_version` at the root and `weight_names` per layer group, datasets
named `<layer>_W_1:0` / `<layer>_b_1:0`. Independent of TribeLens' own writer.

    python3 -m venv /tmp/h5 && /tmp/h5/bin/pip install h5py numpy
    /tmp/h5/bin/python Tests/KerasWeightsTests/Fixtures/generate_keras_legacy_small.py
"""
import os
import h5py
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
layers = {
    "input_1": [],
    "block1_conv1": [("block1_conv1_W_1:0", (3, 3, 3, 2), np.float32, 0.0),
                     ("block1_conv1_b_1:0", (2,), np.float32, 10.0)],
    "block1_pool": [],
    "dense_1": [("dense_1_W_1:0", (4, 3), np.float64, 0.0),
                ("dense_1_b_1:0", (3,), np.float64, 20.0)],
}
with h5py.File(os.path.join(here, "keras_legacy_small.h5"), "w") as f:
    f.attrs["layer_names"] = np.array([n.encode() for n in layers], dtype="S")
    f.attrs["backend"] = b"tensorflow"
    f.attrs["keras_version"] = b"2.1.2"
    for name, weights in layers.items():
        g = f.create_group(name)
        g.attrs["weight_names"] = np.array([w[0].encode() for w in weights], dtype="S")
        for wname, shape, dtype, offset in weights:
            g.create_dataset(wname, data=(np.arange(np.prod(shape)) * 0.25 + offset).astype(dtype).reshape(shape))
