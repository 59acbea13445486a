#!/usr/bin/env python3
"""How far apart two sets of per-seed accuracies may fall by chance alone.

    bench/seed_spread.py --a "Keras=5.6,48.4,39.6,21.6,46.4" --b "TribeLens=4.0,41.2,41.2,4.8,21.2" [--within 3]

Issue 18 asks for 5-seed means within a few points. Whether that can be decided depends on how
widely single runs spread, so this prints, from the runs themselves (stdlib only, fixed seed):
- each side's mean, range and standard deviation;
- a permutation test: how often relabelling the pooled runs gives a difference as large;
- if both sides drew from the same pooled runs (the same recipe, implemented identically), how
  often their means of n runs would land within --within points of each other;
- how many runs a side would need for a 95% interval of +-within on the difference.
"""
import argparse
import itertools
import math
import random
import statistics


def parse(spec):
    label, _, values = spec.partition("=")
    return label, [float(v) for v in values.split(",") if v.strip()]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--a", required=True, help="LABEL=v1,v2,... accuracies in percent")
    p.add_argument("--b", required=True, help="LABEL=v1,v2,...")
    p.add_argument("--within", type=float, default=3.0, help="points (default 3)")
    p.add_argument("--draws", type=int, default=200_000)
    args = p.parse_args()
    (la, a), (lb, b) = parse(args.a), parse(args.b)
    if len(a) < 2 or len(b) < 2:
        p.error("each side needs at least two runs")
    for label, xs in ((la, a), (lb, b)):
        print("%-12s n=%d mean %.1f (%.1f-%.1f), sd %.1f" % (label, len(xs), statistics.mean(xs), min(xs), max(xs),
                                                            statistics.stdev(xs)))
    diff = statistics.mean(b) - statistics.mean(a)
    pooled = a + b
    # Exact permutation test when small enough, else sampled (decided before listing any split).
    rng = random.Random(18)
    if math.comb(len(pooled), len(a)) <= args.draws:
        splits = list(itertools.combinations(range(len(pooled)), len(a)))
    else:
        splits = [rng.sample(range(len(pooled)), len(a)) for _ in range(args.draws)]
    total = sum(pooled)
    extreme = 0
    for idx in splits:
        sa = sum(pooled[i] for i in idx)
        if abs((total - sa) / len(b) - sa / len(a)) >= abs(diff) - 1e-9:
            extreme += 1
    print("difference of means (%s - %s): %+.1f points; permutation p = %.2f (%d splits)" % (
        lb, la, diff, extreme / len(splits), len(splits)))
    sd = statistics.stdev(pooled)
    for n in sorted({len(a), len(b), 10, 20}):
        hits = 0
        for _ in range(args.draws // 4):
            ma = sum(rng.choice(pooled) for _ in range(n)) / n
            mb = sum(rng.choice(pooled) for _ in range(n)) / n
            hits += abs(ma - mb) <= args.within
        print("same recipe on both sides, %2d runs each: means within %.0f points in %.0f%% of draws" % (
            n, args.within, 100 * hits / (args.draws // 4)))
    need = math.ceil(2 * (1.96 * sd / args.within) ** 2)
    print("pooled sd %.1f: a 95%% interval of +-%.0f points on the difference needs about %d runs a side" % (
        sd, args.within, need))


if __name__ == "__main__":
    main()
