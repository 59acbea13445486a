#!/usr/bin/env python3
"""Writes the augmentation reference fixture (Tests/FaceKitTests/Fixtures/augment/).

The outputs come from the write-up's own augmentation code (scipy.ndimage.rotate, cv2.resize,
cv2.threshold TOZERO 100, cv2.GaussianBlur 5x5), run on a few face crops; AugmentationTests
compares TribeLens' Swift/C++ implementation against them.

Run from the repository root, in a git-ignored venv:
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install scipy opencv-python-headless numpy
    bench/.venv/bin/python Tests/FaceKitTests/Fixtures/generate_augment_reference.py
It reads two photos from ../shared/data/lfw-dev38 (only to make realistic inputs; the fixture
then stands alone) and draws one synthetic, non-square crop with hard edges and saturated areas,
which stress the spline's overshoot and clipping.
"""
import json
import os
import sys

import cv2
import numpy as np
import scipy
from scipy import ndimage

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "augment")
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "lfw-dev38"))
PHOTOS = {
    "lfw_a": "Amelie_Mauresmo/Amelie_Mauresmo_0001.jpg",
    "lfw_b": "Kofi_Annan/Kofi_Annan_0003.jpg",
}


def face_crop(path):
    """A 64x64 crop of the centre of an LFW photo (where LFW puts the face), as BGR."""
    img = cv2.imread(path)
    if img is None:
        sys.exit(f"cannot read {path}")
    return cv2.resize(img[70:180, 70:180], (64, 64), interpolation=cv2.INTER_AREA)


def synthetic_crop():
    """56 rows x 40 columns: gradients, a checkerboard, pure white and pure black blocks."""
    h, w = 56, 40
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3), np.uint8)
    img[..., 0] = (x * 255 // (w - 1)).astype(np.uint8)
    img[..., 1] = (y * 255 // (h - 1)).astype(np.uint8)
    img[..., 2] = np.where(((x // 4) + (y // 4)) % 2 == 0, 230, 20).astype(np.uint8)
    img[8:20, 6:18] = 255
    img[30:44, 22:34] = 0
    return img


def augment(img, name):
    """The write-up's loop body, unchanged except for the file names."""
    written = []
    for angle in [-15, 0, 15]:
        img_rot = ndimage.rotate(img, angle)
        raw = f"{name}_{angle}raw.png"
        cv2.imwrite(os.path.join(OUT, raw), img_rot)
        img_rot = cv2.resize(img_rot, (64, 64))
        img_thr = cv2.threshold(img_rot, 100, 255, cv2.THRESH_TOZERO)[1]
        img_filter = cv2.GaussianBlur(img_rot, (5, 5), 0)
        for suffix, image in (("", img_rot), ("thr", img_thr), ("filter", img_filter)):
            file = f"{name}_{angle}{suffix}.png"
            cv2.imwrite(os.path.join(OUT, file), image)  # PNG: lossless, stored as RGB
            written.append(file)
        written.append(raw)
    return written


def main():
    os.makedirs(OUT, exist_ok=True)
    inputs = {name: face_crop(os.path.join(SHARED, rel)) for name, rel in PHOTOS.items()}
    inputs["synthetic"] = synthetic_crop()
    cases = []
    for name, img in inputs.items():
        cv2.imwrite(os.path.join(OUT, f"{name}.png"), img)
        cases.append({"name": name, "input": f"{name}.png", "width": img.shape[1], "height": img.shape[0],
                      "outputs": augment(img, name)})
    manifest = {
        "generator": "Tests/FaceKitTests/Fixtures/generate_augment_reference.py",
        "scipy": scipy.__version__, "opencv": cv2.__version__, "numpy": np.__version__,
        "angles": [-15, 0, 15], "order": ["rot", "thr", "filter"],
        "cases": cases,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print(f"wrote {sum(len(c['outputs']) + 1 for c in cases)} images to {OUT}")


if __name__ == "__main__":
    main()
