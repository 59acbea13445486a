#!/usr/bin/env python3
"""Writes the augmentation reference fixture (Tests/FaceKitTests/Fixtures/augment/).

The outputs come from the write-up's own augmentation code (scipy.ndimage.rotate, cv2.resize,
cv2.threshold TOZERO 100, cv2.GaussianBlur 5x5), run on a few face crops; AugmentationTests
compares TribeLens' Swift/C++ implementation against them.

Run from the repository root, in a git-ignored venv:
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install scipy opencv-python-headless numpy
    bench/.venv/bin/python Tests/FaceKitTests/Fixtures/generate_augment_reference.py
Its inputs are made here: two photo-like crops (smooth colour fields plus noise, one of them
non-square) and one synthetic crop with hard edges and saturated areas, which stress the
spline's overshoot and clipping. No third party's photo is copied into the repository.
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


def photo_like(seed, h, w):
    """Smooth colour fields plus fine noise: the statistics of a photo crop, without using anyone's
    photo (third parties' images stay out of the repository)."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(h // 8 + 2, w // 8 + 2, 3), dtype=np.uint8)
    img = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC).astype(np.int16)
    img += rng.integers(-12, 13, size=(h, w, 3), dtype=np.int16)
    return np.clip(img, 0, 255).astype(np.uint8)


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
    inputs = {"photo_a": photo_like(1, 64, 64), "photo_b": photo_like(2, 70, 50)}
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
