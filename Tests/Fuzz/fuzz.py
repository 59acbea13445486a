#!/usr/bin/env python3
"""Process-level fuzzer for tribelens-cli (docs/reliability.md, "Fuzz suite").

Each input is one mutated file (a photo, a roster, a file of a model folder, a safetensors or
Keras weights file, a plugin) and one CLI process under a timeout and an address-space limit.
Inputs come from a fixed seed: input N of family F is the same on every machine with the same
seed files. First the saved regressions (Tests/Fuzz/regressions) are replayed; every new crash
or hang is minimised and saved there. The exit status is 1 when anything was found.

  Tests/Fuzz/fuzz.py --cli-dir .build/release --seconds 120 --families rosters,models,safetensors
"""

import argparse
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fuzzlib import families as fam  # noqa: E402
from fuzzlib import minimize, regressions, seeds  # noqa: E402
from fuzzlib.worker import Worker  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAILURES = ("crash", "hang", "bad-message", "silent", "accepted")


@dataclass
class Tally:
    inputs: int = 0
    replayed: int = 0
    kinds: dict = field(default_factory=dict)
    peak_rss_kb: int = 0
    slowest: float = 0.0
    findings: list = field(default_factory=list)
    skipped: str = ""

    def add(self, outcome):
        self.kinds[outcome.kind] = self.kinds.get(outcome.kind, 0) + 1
        self.peak_rss_kb = max(self.peak_rss_kb, outcome.rss_kb)
        self.slowest = max(self.slowest, outcome.seconds)


class Context:
    def __init__(self, args):
        self.cli_dir = os.path.abspath(args.cli_dir)
        self.cli = os.path.join(self.cli_dir, "tribelens-cli")
        self.repo = REPO
        self.shared = os.path.abspath(args.shared)
        self.work = os.path.abspath(args.work)
        self.memory_bytes = args.memory_mb << 20
        self._home = None
        self._home_lock = threading.Lock()

    def model_home(self):
        with self._home_lock:
            if self._home is None:
                self._home = seeds.model_home(self.cli, self.work, self.shared) or ""
            return self._home or None


def finding_line(family, case, outcome, where=""):
    text = (outcome.stderr.strip().splitlines() or [""])[-1][:300]
    return f"{outcome.kind} ({outcome.detail}) from {family} {case.seed} [{case.note}] {where}: {text}"


def fuzz_family(family, ctx, args, deadline, tally, workers):
    lock = threading.Lock()
    counter = iter(range(args.max_inputs or 1 << 62))
    signatures = regressions.known_signatures(args.regressions, family.name)

    def work(worker):
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            rng = random.Random(f"{args.seed}/{family.name}/{index}")
            case = family.case(rng)
            outcome = family.run(case, worker)
            saved = ""
            if outcome.kind in ("crash", "hang") and args.save:
                with lock:
                    new = regressions.signature(family.name, outcome) not in signatures
                    signatures.add(regressions.signature(family.name, outcome))
                if new:
                    budget = args.minimize_runs if outcome.kind == "crash" else min(args.minimize_runs, 4)
                    small, small_outcome = minimize.minimize(family, case, outcome, worker, budget)
                    shrunk = regressions.signature(family.name, small_outcome)
                    with lock:  # the shrunk input may fail in other frames, perhaps a saved failure's
                        new = shrunk == regressions.signature(family.name, outcome) or shrunk not in signatures
                        signatures.add(shrunk)
                    if new:
                        folder = regressions.save(args.regressions, family.name, small, small_outcome,
                                                  {"seed": args.seed, "index": index}, family.owner)
                        saved = os.path.relpath(folder, REPO)
                    else:
                        saved = "(shrinks to a saved regression's failure)"
                else:
                    saved = "(same failure as a saved regression)"
            with lock:
                tally.inputs += 1
                tally.add(outcome)
                last = (outcome.stderr.strip().splitlines() or [""])[-1][:200]
                log.write(f"{index}\t{case.seed}\t{case.note}\t{'refuse' if case.refuse else '-'}\t{outcome.kind}\t"
                          f"{outcome.status}\t{outcome.seconds:.2f}\t{outcome.rss_kb}\t{last}\n")
                if outcome.kind in FAILURES:
                    tally.findings.append(finding_line(family.name, case, outcome, f"input {index} {saved}".strip()))

    # One line per input: index, seed, mutation, oracle, outcome, status, seconds, RSS, stderr.
    with open(os.path.join(ctx.work, f"log-{family.name}.tsv"), "a") as log:
        threads = [threading.Thread(target=work, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def replay(family, args, tally, worker):
    for folder, meta, case in regressions.load_all(args.regressions, family.name):
        if case is None:
            index = meta["recipe"]["index"]
            case = family.case(random.Random(f"{meta['recipe']['seed']}/{family.name}/{index}"))
        outcome = family.run(case, worker)
        tally.replayed += 1
        tally.add(outcome)
        if outcome.kind in FAILURES:
            tally.findings.append(finding_line(family.name, case, outcome, "regression " + os.path.relpath(folder, REPO)))


def table(tallies, args, seconds):
    lines = [f"Seed {args.seed}, {args.seconds:.0f} s budget ({seconds:.0f} s used), {args.jobs} worker(s), "
             f"timeout per input by family, address space {args.memory_mb} MB.", "",
             "| family | inputs | crashes | hangs | peak RSS | bad messages | accepted but invalid | regressions replayed | slowest input |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, t in tallies.items():
        if t.skipped:
            lines.append(f"| {name} | skipped: {t.skipped} | | | | | | | |")
            continue
        k = t.kinds
        lines.append(f"| {name} | {t.inputs} | {k.get('crash', 0)} | {k.get('hang', 0)} | {t.peak_rss_kb / 1024:.0f} MB | "
                     f"{k.get('bad-message', 0) + k.get('silent', 0)} | {k.get('accepted', 0)} | {t.replayed} | {t.slowest:.1f} s |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli-dir", default=os.path.join(REPO, ".build/release"), help="folder of tribelens-cli and the plugins")
    parser.add_argument("--families", default=",".join(f.name for f in fam.ALL), help="comma-separated, of: "
                        + ", ".join(f.name for f in fam.ALL))
    parser.add_argument("--seconds", type=float, default=120, help="fuzzing time over all families (seeds and replays not counted)")
    parser.add_argument("--max-inputs", type=int, default=0, help="stop each family after this many inputs (0: time only); with it, a run tries the same inputs on any machine fast enough")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per process (RLIMIT_AS)")
    parser.add_argument("--work", default=os.path.join(REPO, ".build/fuzz"))
    parser.add_argument("--shared", default=os.path.join(REPO, "..", "shared"))
    parser.add_argument("--regressions", default=os.path.join(REPO, "Tests/Fuzz/regressions"))
    parser.add_argument("--no-save", dest="save", action="store_false", help="do not minimise and save new crashes")
    parser.add_argument("--minimize-runs", type=int, default=60)
    parser.add_argument("--replay-only", action="store_true")
    parser.add_argument("--input", type=int, help="run only input N of each family (same seed) and print what it did")
    parser.add_argument("--report", help="also write the table and findings to this Markdown file")
    args = parser.parse_args()

    ctx = Context(args)
    if not os.access(ctx.cli, os.X_OK):
        sys.exit(f"fuzz: no tribelens-cli in {ctx.cli_dir}; build first")
    os.makedirs(ctx.work, exist_ok=True)
    known = {f.name: f for f in fam.ALL}
    chosen = [n.strip() for n in args.families.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in known]
    if unknown:
        sys.exit(f"fuzz: unknown family {', '.join(unknown)} (known: {', '.join(known)})")

    started = time.monotonic()
    tallies = {}
    ready = []
    for name in chosen:
        family = known[name](ctx)
        tally = tallies[name] = Tally()
        reason = family.prepare()
        if reason:
            tally.skipped = reason
            print(f"fuzz: {name}: skipped ({reason})", flush=True)
            continue
        ready.append(family)
        if args.input is not None:
            case = family.case(random.Random(f"{args.seed}/{name}/{args.input}"))
            outcome = family.run(case, Worker(os.path.join(ctx.work, f"input-{name}")))
            print(f"{name} input {args.input}: {case.seed} [{case.note}] -> {outcome.kind} ({outcome.detail}), "
                  f"{outcome.seconds:.2f} s, {outcome.rss_kb} KB; files kept in {ctx.work}/input-{name}/in\n{outcome.stderr}")
            continue
        replay(family, args, tally, Worker(os.path.join(ctx.work, f"replay-{name}")))
    if args.input is not None:
        return
    if not args.replay_only and ready:
        workers = [Worker(os.path.join(ctx.work, f"worker-{i}")) for i in range(args.jobs)]
        # Equal shares; what a family leaves (it reached --max-inputs) goes to the ones after it.
        end = time.monotonic() + args.seconds
        for i, family in enumerate(ready):
            share = (end - time.monotonic()) / (len(ready) - i)
            print(f"fuzz: {family.name}: up to {share:.0f} s", flush=True)
            fuzz_family(family, ctx, args, time.monotonic() + share, tallies[family.name], workers)

    report = table(tallies, args, time.monotonic() - started)
    # Crashes and hangs first; at most 20 lines of each kind per family.
    order = {kind: i for i, kind in enumerate(FAILURES)}
    findings = []
    for t in tallies.values():
        shown = {}
        for line in sorted(t.findings, key=lambda f: order.get(f.split(" ", 1)[0], 9)):
            kind = line.split(" ", 1)[0]
            shown[kind] = shown.get(kind, 0) + 1
            if shown[kind] <= 20:
                findings.append(line)
            elif shown[kind] == 21:
                findings.append(f"... more {kind} findings in this family: see {ctx.work}/log-*.tsv")
    text = report + ("\n\nFindings:\n" + "\n".join("- " + f for f in findings) if findings else "\n\nNo findings.")
    print(text)
    if args.report:
        with open(args.report, "w") as f:
            f.write(text + "\n")
    total = sum(t.inputs + t.replayed for t in tallies.values())
    failed = sum(1 for t in tallies.values() for _ in t.findings)
    # The plain closing line CI reads: each input is one test.
    print(f"fuzz: {total - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
