#!/usr/bin/env python3
"""Compare `telsim analytic network` with a simulation of the same scenario.

For every trunk group, `trunk_groups.<g>.blocking` (analytic) against the simulated
`trunk_groups.<g>.call_blocking`, and for every relation between two exchanges,
`traffic.<r>.loss` against `traffic.<r>.first_attempt_failure.congestion` (SPEC §4-§5).
Prints one row each: analytic, simulated mean +- ci95, the factor max(a/s, s/a), and the
analytic line's remark (`# weak: ...`) if it has one; then the worst factor.

A row counts towards the worst factor only when the simulation measured it precisely
enough to judge a factor (ci95 <= --precision x mean, default 0.25); rows that do not are
marked `imprecise` and listed apart, so that noise is not mistaken for model error.

Usage:
  tools/analytic-vs-simulation.py SCENARIO.yaml [--telsim PATH] [--replications N]
      [--seed S] [--threads T] [--set KEY=VALUE]... [--precision P] [--only-worst K]
      [--results FILE.json]   (reuse a results file instead of simulating)

Python 3 standard library only. Exit status 0; the comparison is the output.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile


def find_telsim(given):
    if given:
        return given
    here = os.path.dirname(os.path.abspath(__file__))
    for build in ("ert", "release", "debug", "asan"):
        candidate = os.path.join(here, "..", "build", build, "cli", "telsim")
        if os.access(candidate, os.X_OK):
            return os.path.normpath(candidate)
    return "telsim"


def analytic_figures(telsim, scenario, sets):
    cmd = [telsim, "analytic", "network", scenario]
    for s in sets:
        cmd += ["--set", s]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    figures = {}
    for line in out.splitlines():
        value_part, _, remark = line.partition("#")
        name, _, value = value_part.partition(": ")
        figures[name.strip()] = (float(value), remark.strip())
    return figures


def simulate(telsim, scenario, sets, replications, seed, threads, out):
    cmd = [telsim, "run", scenario, "--quiet", "--out", out]
    if replications:
        cmd += ["--replications", str(replications)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if threads:
        cmd += ["--threads", str(threads)]
    for s in sets:
        cmd += ["--set", s]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: an expect check failed, results still written
        sys.exit(f"telsim run failed ({done.returncode}): {done.stderr}")
    with open(out) as f:
        return json.load(f)


def factor(a, s):
    if a is None or s is None:
        return math.nan
    if a == 0 and s == 0:
        return 1.0
    if a <= 0 or s <= 0:
        return math.inf
    return max(a / s, s / a)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    p.add_argument("scenario")
    p.add_argument("--telsim")
    p.add_argument("--replications", type=int)
    p.add_argument("--seed")
    p.add_argument("--threads", type=int)
    p.add_argument("--set", action="append", default=[])
    p.add_argument("--precision", type=float, default=0.25)
    p.add_argument("--only-worst", type=int, default=0,
                   help="print only the K rows with the largest factors")
    p.add_argument("--results", help="a results file of this scenario (skips the simulation)")
    args = p.parse_args()

    telsim = find_telsim(args.telsim)
    figures = analytic_figures(telsim, args.scenario, args.set)
    if args.results:
        with open(args.results) as f:
            results = json.load(f)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            results = simulate(telsim, args.scenario, args.set, args.replications, args.seed,
                               args.threads, os.path.join(tmp, "results.json"))

    rows = []
    for group, stats in results["trunk_groups"].items():
        key = f"trunk_groups.{group}.blocking"
        if key in figures:
            rows.append((key, figures[key], stats["call_blocking"]))
    for relation, stats in results["traffic"].items():
        key = f"traffic.{relation}.loss"
        if key in figures:
            rows.append((key, figures[key], stats["first_attempt_failure"]["congestion"]))

    table = []
    for key, (a, remark), stat in rows:
        s, h = stat.get("mean"), stat.get("ci95")
        precise = s is not None and h is not None and s > 0 and h <= args.precision * s
        table.append((key, a, s, h, factor(a, s), precise, remark))
    shown = table
    if args.only_worst:
        shown = sorted((r for r in table if r[5]), key=lambda r: -r[4])[: args.only_worst]

    reps = results.get("replications")
    print(f"# {os.path.basename(args.scenario)}: {reps} replications"
          + (f", --set {' '.join(args.set)}" if args.set else ""))
    print(f"{'figure':<48} {'analytic':>12} {'simulated':>12} {'± ci95':>10} {'factor':>7}")
    for key, a, s, h, f, precise, remark in shown:
        s_text = "null" if s is None else f"{s:.6g}"
        h_text = "null" if h is None else f"{h:.3g}"
        note = "" if precise else "  imprecise"
        if remark:
            note += f"  # {remark}"
        print(f"{key:<48} {a:>12.6g} {s_text:>12} {h_text:>10} {f:>7.3f}{note}")
    judged = [r for r in table if r[5]]
    if judged:
        worst = max(judged, key=lambda r: r[4])
        print(f"worst factor: {worst[4]:.3f} ({worst[0]}), over {len(judged)} of {len(table)} "
              f"figures measured to ci95 <= {args.precision:g} x mean")
    else:
        print("worst factor: none measured precisely enough")


if __name__ == "__main__":
    main()
