"""Shared pieces of the peer benchmarks: synthetic data, timing, and the JSON line they print.

The synthetic data matches `tribelens-cli bench`: 64x64x3 images of uniform random bytes fed as raw
0-255 float32 values (as the write-up's Keras code does), labels cycling through 24 classes,
batches of 32; for vgg-top-step, 4x4x512 float features uniform in [0, 4).
"""
import argparse
import json
import os
import statistics
import time

import numpy as np

CLASSES = 24


def arguments(framework):
    p = argparse.ArgumentParser(description=f"{framework} peer benchmark")
    p.add_argument("bench", choices=["cnn-step", "vgg-top-step", "vgg-frozen-infer"])
    p.add_argument("--batches", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--batch-size", type=int, default=32)
    return p.parse_args()


def images(n, seed=42):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 64, 64, 3), dtype=np.uint8).astype(np.float32)


def features(n, seed=7):
    rng = np.random.default_rng(seed)
    return (rng.random((n, 4, 4, 512), dtype=np.float32) * 4).astype(np.float32)


def labels(n):
    return np.arange(n) % CLASSES


def report(framework, bench, batch, times_ms, note=""):
    median = statistics.median(times_ms)
    print(json.dumps({
        "bench": bench, "framework": framework, "batch": batch, "batches": len(times_ms),
        "ms_per_batch": round(median, 3), "ms_mean": round(statistics.mean(times_ms), 3),
        "images_per_s": round(batch * 1000 / median, 3),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", "unset"), "note": note,
    }), flush=True)


def time_steps(step, batches, warmup):
    for b in range(warmup):
        step(b)
    out = []
    for b in range(batches):
        t0 = time.perf_counter()
        step(b)
        out.append((time.perf_counter() - t0) * 1000)
    return out
