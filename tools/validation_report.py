#!/usr/bin/env python3
"""Regenerate docs/validation.md: telsim's simulations beside closed-form theory.

For every validated model this runs `telsim run` on its scenario in
scenarios/library/validation/, asks `telsim analytic` for the theory, and
writes one table row per checked metric: the simulated mean ± the half-width
of its 95% confidence interval, the theory, |simulated - theory| / ci95, and
a verdict. A row agrees when that ratio is at most 3 (the criterion of
tests/statistical/validation_support.hpp). The set-ups mirror the
statistical tests exactly (seeds, replications, warm-up, duration), so the
figures here are the figures the tests check.

Usage (from anywhere; paths are relative to the repository):

    python3 tools/validation_report.py --telsim build/release/cli/telsim

Exit status: 0 when every row agrees, 1 when a row disagrees (the report is
still written, with the disagreeing rows marked), 2 when telsim cannot be run
or its output cannot be read. Standard library only.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIOS = os.path.join("scenarios", "library", "validation")
REPORT = os.path.join("docs", "validation.md")
COMMAND = "python3 tools/validation_report.py --telsim build/release/cli/telsim"
AGREEMENT = 3.0  # |simulated - theory| <= AGREEMENT x ci95

Theory = Dict[str, float]


@dataclass
class Check:
    label: str  # what is compared, in words
    metric: str  # results path (SPEC §5) whose mean is compared
    theory: Callable[[Theory], float]  # from the `telsim analytic` figures
    theory_text: str  # how the theory figure is obtained


@dataclass
class Case:
    model: str
    parameters: str
    scenario: str  # file name in scenarios/library/validation/
    analytic: List[str]  # `telsim analytic` arguments
    checks: List[Check] = field(default_factory=list)


def erlang_b_case(circuits: int, erlangs: int) -> Case:
    return Case(
        model="Erlang B (lost calls cleared)",
        parameters=f"{circuits} circuits, {erlangs} Erlang",
        scenario=f"erlang-b-{circuits}-{erlangs}.yaml",
        analytic=["erlang-b", "--circuits", str(circuits), "--load", str(erlangs)],
        checks=[
            Check("call blocking", "trunk_groups.AB.call_blocking", lambda t: t["blocking"], "B"),
            Check("time congestion", "trunk_groups.AB.time_congestion", lambda t: t["blocking"], "B"),
            Check("carried Erlangs", "trunk_groups.AB.carried_erlangs",
                  lambda t, a=erlangs: a * (1.0 - t["blocking"]), "A(1 - B)"),
            Check("first attempts failed on congestion",
                  "traffic.offered.first_attempt_failure.congestion", lambda t: t["blocking"], "B"),
        ],
    )


CASES: List[Case] = [
    erlang_b_case(40, 25),
    erlang_b_case(20, 12),
    erlang_b_case(20, 15),
    erlang_b_case(10, 10),
    Case(
        model="Engset (finite sources, lost calls cleared)",
        parameters="30 sources, 10 circuits, beta 0.25",
        scenario="engset-30-10.yaml",
        analytic=["engset", "--circuits", "10", "--sources", "30", "--beta", "0.25"],
        checks=[
            Check("call blocking", "trunk_groups.AB.call_blocking",
                  lambda t: t["call_congestion"], "call congestion"),
            Check("time congestion", "trunk_groups.AB.time_congestion",
                  lambda t: t["time_congestion"], "time congestion"),
        ],
    ),
    Case(
        model="Camp-on, unlimited patience: Erlang C (M/M/c)",
        parameters="10 lines, 0.8 calls/s, mean holding 10 s",
        scenario="campon-erlang-c.yaml",
        analytic=["erlang-c", "--circuits", "10", "--load", "8"],
        checks=[
            Check("first attempts that find the group busy (wait)",
                  "traffic.calls.first_attempt_failure.busy", lambda t: t["p_wait"], "P(wait)"),
            Check("calls completed through camp-on", "traffic.calls.outcome.completed",
                  lambda t: t["p_wait"], "P(wait)"),
            # `analytic erlang-c` gives the mean wait over all calls in units
            # of the mean holding time; those who wait wait h / (c - A).
            Check("mean wait of those who wait, s", "traffic.calls.completion_latency.mean",
                  lambda t: 10.0 * t["mean_wait"] / t["p_wait"], "h · W / P(wait) = h / (c - A)"),
        ],
    ),
    Case(
        model="Camp-on, exponential patience: Erlang A (M/M/c+M)",
        parameters="10 lines, 0.8 calls/s, mean holding 10 s, mean patience 20 s",
        scenario="campon-erlang-a.yaml",
        analytic=["erlang-a", "--circuits", "10", "--rate", "0.8", "--mean-holding", "10",
                  "--mean-patience", "20"],
        checks=[
            Check("first attempts that find the group busy (wait)",
                  "traffic.calls.first_attempt_failure.busy", lambda t: t["p_wait"], "P(wait)"),
            Check("calls that abandon", "traffic.calls.outcome.abandoned",
                  lambda t: t["p_abandon"], "P(abandon)"),
        ],
    ),
    Case(
        model="Redial on congestion: M/M/c retrial queue",
        parameters="10 circuits, 0.7 calls/s, mean holding 10 s, redial delay exponential 30 s",
        scenario="redial-retrial.yaml",
        analytic=["retrial", "--circuits", "10", "--rate", "0.7", "--mean-holding", "10",
                  "--mean-retrial", "30"],
        checks=[
            Check("first attempts blocked", "traffic.calls.first_attempt_failure.congestion",
                  lambda t: t["p_block"], "P(block)"),
            Check("mean latency from first failure to service, s",
                  "traffic.calls.completion_latency.mean", lambda t: t["mean_latency"], "mean latency"),
            Check("carried Erlangs (every call is carried in the end)", "trunk_groups.AB.carried_erlangs",
                  lambda t: 0.7 * 10.0, "λh"),
        ],
    ),
]

CASES.append(
    Case(
        model="Multi-rate calls: Kaufman-Roberts",
        parameters="30 circuits; classes of 1, 2 and 5 circuits per call offering 12, 4 and 1.2 Erlang",
        scenario="kaufman-roberts-30.yaml",
        analytic=["kaufman-roberts", "--circuits", "30", "--class", "1:12", "--class", "2:4",
                  "--class", "5:1.2"],
        checks=[
            Check("1-circuit calls blocked", "traffic.c1.first_attempt_failure.congestion",
                  lambda t: t["class_1_blocking"], "P(fewer than 1 free)"),
            Check("2-circuit calls blocked", "traffic.c2.first_attempt_failure.congestion",
                  lambda t: t["class_2_blocking"], "P(fewer than 2 free)"),
            Check("5-circuit calls blocked", "traffic.c5.first_attempt_failure.congestion",
                  lambda t: t["class_3_blocking"], "P(fewer than 5 free)"),
            Check("carried Erlangs (circuits)", "trunk_groups.G.carried_erlangs",
                  lambda t: 12 * (1 - t["class_1_blocking"]) + 2 * 4 * (1 - t["class_2_blocking"])
                  + 5 * 1.2 * (1 - t["class_3_blocking"]), "Σ b a (1 - B)"),
            Check("time congestion", "trunk_groups.G.time_congestion",
                  lambda t: t["occupancy_30"], "P(30 busy)"),
        ],
    ))

# Everything in docs/validation.md from this line on is written by hand and kept as it is.
HAND_WRITTEN = "<!-- Written by hand from here on: tools/validation_report.py keeps it. -->"

TESTS_ONLY = [
    ("Alternate routing with trunk reservation (overflow A→B on H then G, "
     "first-choice B→A on G with 2 circuits reserved)",
     "tests/statistical/trunk_reservation_test.cpp",
     "TrunkReservation.FirstChoiceAndOverflowBlockingMatchTheExactChain",
     "the exact CTMC of `analysis::overflow_with_reservation`, which has no `telsim analytic` "
     "subcommand"),
]


class ToolError(Exception):
    pass


def run(command: List[str]) -> str:
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    except OSError as e:
        raise ToolError(f"cannot run {command[0]}: {e.strerror}") from e
    if done.returncode != 0:
        raise ToolError(f"{shlex.join(command)} exited with {done.returncode}:\n{done.stderr.strip()}")
    return done.stdout


def analytic(telsim: str, arguments: List[str]) -> Theory:
    """`telsim analytic ...` prints `name: value` lines."""
    out: Theory = {}
    for line in run([telsim, "analytic", *arguments]).splitlines():
        name, sep, value = line.partition(":")
        if sep:
            out[name.strip()] = float(value)
    return out


def lookup(results: dict, path: str) -> dict:
    node = results
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise ToolError(f"results have no metric '{path}'")
        node = node[part]
    return node


def simulate(telsim: str, scenario: str, folder: str) -> dict:
    out = os.path.join(folder, os.path.splitext(os.path.basename(scenario))[0] + ".results.json")
    run([telsim, "run", scenario, "--quiet", "--out", out])
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def significant(x: float, digits: int) -> str:
    return f"{x:.{digits}g}"


def with_interval(mean: float, ci95: float) -> str:
    """The mean to the decimal place of the half-width's second significant digit."""
    if ci95 <= 0 or not math.isfinite(ci95):
        return f"{significant(mean, 6)} ± {ci95:g}"
    decimals = max(0, 1 - math.floor(math.log10(ci95)))
    return f"{mean:.{decimals}f} ± {ci95:.{decimals}f}"


def machine_line() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.partition(":")[2].strip()
                    break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs"


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=REPO,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" (with uncommitted changes)" if dirty else "")


def relative_link(path: str) -> str:
    return os.path.relpath(os.path.join(REPO, path), os.path.join(REPO, os.path.dirname(REPORT)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--telsim", default="build/release/cli/telsim",
                        help="the telsim binary (default: %(default)s in the repository)")
    parser.add_argument("--out", default=REPORT, help="report to write (default: %(default)s in the repository)")
    args = parser.parse_args()
    # A relative path is taken from the current folder if it exists there,
    # else from the repository.
    telsim = os.path.abspath(args.telsim)
    if not os.path.exists(telsim):
        telsim = os.path.join(REPO, args.telsim)
    if not os.access(telsim, os.X_OK):
        print(f"validation_report.py: error: no telsim binary at '{telsim}'; build it "
              f"(cmake --preset release && cmake --build --preset release) or pass --telsim PATH",
              file=sys.stderr)
        return 2

    rows: List[str] = []
    disagreements: List[str] = []
    version = ""
    try:
        with tempfile.TemporaryDirectory(prefix="telsim-validation-") as folder:
            for case in CASES:
                scenario = os.path.join(SCENARIOS, case.scenario)
                results = simulate(telsim, scenario, folder)
                version = version or f"{results['run']['version']} built from {results['run']['commit']}"
                theory = analytic(telsim, case.analytic)
                for i, check in enumerate(case.checks):
                    stat = lookup(results, check.metric)
                    mean, ci95 = stat.get("mean"), stat.get("ci95")
                    expected = check.theory(theory)
                    if mean is None or ci95 is None:
                        ratio_text, verdict = "—", "**no data**"
                        disagreements.append(f"{case.scenario}: {check.metric} has no mean or ci95")
                        simulated = "—"
                    else:
                        gap = abs(mean - expected)
                        ratio = gap / ci95 if ci95 > 0 else (0.0 if gap == 0 else math.inf)
                        ok = ratio <= AGREEMENT
                        ratio_text = f"{ratio:.2f}"
                        verdict = "agrees" if ok else "**disagrees**"
                        simulated = with_interval(mean, ci95)
                        if not ok:
                            disagreements.append(
                                f"{case.scenario}: {check.metric}: simulated {mean:.6g} ± {ci95:.2g}, "
                                f"theory {expected:.6g} ({ratio_text} half-widths)")
                    model = f"{case.model} ([{case.scenario}]({relative_link(scenario)}))" if i == 0 else ""
                    parameters = case.parameters if i == 0 else ""
                    rows.append(f"| {model} | {parameters} | {check.label}: `{check.metric}` | "
                                f"{simulated} | {significant(expected, 6)} ({check.theory_text}) | "
                                f"{ratio_text} | {verdict} |")
    except (ToolError, KeyError, ValueError, json.JSONDecodeError) as e:
        print(f"validation_report.py: error: {e}", file=sys.stderr)
        return 2

    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Validation against teletraffic theory",
        "",
        "<!-- Generated by tools/validation_report.py; do not edit by hand. -->",
        "",
        "Each row runs a scenario of",
        f"[`{SCENARIOS}/`]({relative_link(SCENARIOS)}/) with `telsim run` and puts the",
        "simulated mean (over the scenario's replications) ± the half-width of its 95%",
        "confidence interval beside the closed-form figure that `telsim analytic` computes.",
        f"A row **agrees** when |simulated − theory| ≤ {AGREEMENT:g} × ci95, the criterion of",
        "the statistical tests (`tests/statistical/`), whose set-ups these scenarios copy",
        "exactly: same seeds, replications, warm-up and duration, so the figures below are",
        "the figures the tests check. With a 95% interval a correct simulator misses this",
        "about once in 370 rows; a wrong model misses it by many half-widths.",
        "",
        f"Generated {now} on {machine_line()}, from commit {git_commit()},",
        f"by telsim {version}. Regenerate with:",
        "",
        "```sh",
        COMMAND,
        "```",
        "",
        "The script exits non-zero if any row disagrees.",
        "",
        "| model | parameters | metric | simulated (mean ± ci95) | theory | \\|diff\\| / ci95 | verdict |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        (f"All {len(rows)} rows agree." if not disagreements
         else f"**{len(disagreements)} of {len(rows)} rows disagree.**"),
        "",
        "Notes:",
        "",
        "- Engset: call blocking is what an attempt sees (Engset's formula with the other",
        "  N − 1 sources); time congestion is the fraction of time with every circuit busy",
        "  (N sources). `--beta` is the offered traffic per idle source, call rate × mean holding.",
        "- Erlang C: `telsim analytic erlang-c` gives `mean_wait` over all calls, in units of the",
        "  mean holding time; telsim's `completion_latency` covers only the calls that waited,",
        "  so the theory is h × mean_wait / p_wait = h / (c − A) = 5 s.",
        "- Retrial queue: `first_attempt_failure.congestion` is the blocking of first attempts",
        "  only; the trunk group's `call_blocking` counts redials too and is higher, because a",
        "  redial is more likely than a fresh call to meet a full group.",
        "",
        "## Validated in tests only",
        "",
        "These models are checked against theory that `telsim analytic` does not expose, so",
        "they have no row above; run them with `ctest --preset release -L statistical` (or `tools/test.sh`).",
        "",
    ]
    for model, path, test, theory_text in TESTS_ONLY:
        lines.append(f"- {model}: [`{path}`]({relative_link(path)}), test `{test}`, against {theory_text}.")
    lines.append("")

    out = args.out if os.path.isabs(args.out) else os.path.join(REPO, args.out)
    if os.path.exists(out):
        with open(out, encoding="utf-8") as f:
            previous = f.read()
        at = previous.find(HAND_WRITTEN)
        if at >= 0:
            lines.append(previous[at:].rstrip("\n"))
            lines.append("")
    tmp = out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, out)
    print(f"wrote {os.path.relpath(out, REPO)}: {len(rows)} rows, {len(disagreements)} disagreeing")
    for d in disagreements:
        print(f"disagrees: {d}", file=sys.stderr)
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
