#!/usr/bin/env python3
"""The photo pipeline of `tribelens-cli bench photo` written as a Python OpenCV user would:
imread, shrink to 1280 px on the longest side for YuNet (FaceDetectorYN, the same file and
thresholds TribeLens uses), FaceRecognizerSF.alignCrop + feature per face on the full image, and
the TribeLens model's own member prototypes (prototypes.safetensors, cosine similarity) with its
open-set threshold (model.json) for the names. Times drop to boxes and drop to names in one warm
process (models loaded once, one warm-up run, median of --repeats). One JSON object on stdout.

    opencv_photo.py PHOTO --yunet FILE --sface FILE --model-dir DIR [--repeats 10]
"""
import argparse
import json
import os
import sys
import time

import cv2
import numpy as np

import safetensors_file  # beside this script

WORK_LONGEST_SIDE = 1280  # as TribeLens' YuNetDetector


def load_classifier(model_dir):
    with open(os.path.join(model_dir, "model.json")) as f:
        manifest = json.load(f)
    prototypes = safetensors_file.read(os.path.join(model_dir, "prototypes.safetensors"))["prototypes"]
    open_set = manifest.get("open_set") or manifest.get("openSet") or {}
    return manifest["classes"], prototypes, open_set.get("similarity")


class Pipeline:
    def __init__(self, yunet, sface, model_dir):
        self.detector = cv2.FaceDetectorYN.create(yunet, "", (320, 320), 0.9, 0.3, 5000)
        self.recognizer = cv2.FaceRecognizerSF.create(sface, "")
        self.classes, self.prototypes, self.unknown_below = load_classifier(model_dir)

    def boxes(self, path):
        image = cv2.imread(path, cv2.IMREAD_COLOR)
        if image is None:
            raise SystemExit("%s: cannot be read" % path)
        return image, self.detect(image)

    def detect(self, image):
        h, w = image.shape[:2]
        scale = min(1.0, WORK_LONGEST_SIDE / max(w, h))
        small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else image
        self.detector.setInputSize((small.shape[1], small.shape[0]))
        _, faces = self.detector.detect(small)
        if faces is None:
            return np.zeros((0, 15), np.float32)
        faces = faces.copy()
        faces[:, :14] /= scale
        return faces

    def names(self, path):
        image, faces = self.boxes(path)
        names = []
        for face in faces:
            crop = self.recognizer.alignCrop(image, face)
            feature = self.recognizer.feature(crop).reshape(-1)
            feature /= max(np.linalg.norm(feature), 1e-12)
            similarity = self.prototypes @ feature
            best = int(np.argmax(similarity))
            known = self.unknown_below is None or similarity[best] >= self.unknown_below
            names.append(self.classes[best] if known else "unknown")
        return faces, names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("photo")
    parser.add_argument("--yunet", required=True)
    parser.add_argument("--sface", required=True)
    parser.add_argument("--model-dir", required=True, help="a TribeLens sface model folder")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    pipeline = Pipeline(args.yunet, args.sface, args.model_dir)
    pipeline.names(args.photo)  # warm-up
    box_times, name_times = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        _, faces = pipeline.boxes(args.photo)
        box_times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        _, names = pipeline.names(args.photo)
        name_times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({
        "framework": "opencv-python", "opencv": cv2.__version__, "threads": cv2.getNumThreads(),
        "faces": len(faces), "names": names,
        "boxes": [[int(round(v)) for v in f[:4]] for f in faces],
        "boxes_ms_median": sorted(box_times)[len(box_times) // 2],
        "names_ms_median": sorted(name_times)[len(name_times) // 2],
    }))


if __name__ == "__main__":
    sys.exit(main())
