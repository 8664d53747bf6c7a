"""Benchmark: AnalyzeStack through the real analyzer protocol, our pack against a no-op floor.

Not a test. Builds preview-shaped stacks of about 1,000 and 10,000 resources (tenants of the full
pattern, bench/synthetic.py), launches each pack exactly as the CLI does (offline/analyzer.py), sends
ConfigureStack, GetAnalyzerInfo and Configure, then times one AnalyzeStack on a prebuilt request. As with
`pulumi preview`, every measurement is a fresh pack process answering its first AnalyzeStack (no warm
caches, no result reused from an earlier identical request). The floor is bench/noop_pack: one empty
stack policy, so it measures what the SDK itself costs per request (transfer plus deserializing every
resource once).

The two packs are measured alternately (floor, pack, floor, pack, ...) so that both see the same machine
load; the figures are medians over --runs pairs. Besides wall time, the pack process's own CPU time for
the request is read from /proc (Linux), which other processes on a busy machine disturb much less.

Goal (issue 3): at most 3x the floor at 10,000 resources; growth 1k -> 10k within 1.5x of linear.
``--provider native`` times the same tenants as pulumi-aws-native resources (bench/synthetic.py).
Usage: .venv/bin/python bench/analyze_stack.py [--sizes 1000 10000] [--runs 7] [--provider native]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from synthetic import stack  # noqa: E402

from offline.analyzer import analyze_stack_request, launch, preview_skips  # noqa: E402

FLOOR, PACK = "no-op floor", "cognito-s3-guard"
PACKS = {FLOOR: ROOT / "bench" / "noop_pack", PACK: ROOT / "policypack"}


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc); NaN where unavailable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def measure(pack_dir: Path, request) -> tuple[float, float, int, int]:
    """One fresh pack, the CLI's handshake, one timed AnalyzeStack: (wall s, cpu s, mandatory, skips)."""
    with launch(pack_dir, project="files", stack="bench", dry_run=True) as client:
        client.configure_stack("files", "bench", True)
        client.get_info()
        client.configure()
        cpu0, start = _cpu_seconds(client.process.pid), time.perf_counter()
        diagnostics = client.analyze_stack_request(request)
        wall, cpu = time.perf_counter() - start, _cpu_seconds(client.process.pid) - cpu0
    return wall, cpu, sum(d.mandatory for d in diagnostics), len(preview_skips(diagnostics))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--provider", choices=("classic", "native"), default="classic")
    args = parser.parse_args()

    medians: dict[int, dict[str, tuple[float, float]]] = {}
    header = f"{'resources':>9}  {'pack':<17} {'wall s':>7} {'x floor':>8}  {'cpu s':>6} {'x floor':>8}"
    print(f"provider: {args.provider}")
    print(header + "  mandatory  preview-skips")
    for size in args.sizes:
        print(f"  ... {size} resources: {args.runs} runs of each pack", file=sys.stderr, flush=True)
        records = stack(size, args.provider)
        request = analyze_stack_request(records)
        walls: dict[str, list[float]] = {FLOOR: [], PACK: []}
        cpus: dict[str, list[float]] = {FLOOR: [], PACK: []}
        counts: dict[str, tuple[int, int]] = {}
        for _ in range(args.runs):
            for label, pack_dir in PACKS.items():
                wall, cpu, mandatory, skips = measure(pack_dir, request)
                walls[label].append(wall)
                cpus[label].append(cpu)
                counts[label] = (mandatory, skips)
        medians[len(records)] = {
            label: (statistics.median(walls[label]), statistics.median(cpus[label])) for label in PACKS
        }
        floor_wall, floor_cpu = medians[len(records)][FLOOR]
        for label in PACKS:
            wall, cpu = medians[len(records)][label]
            print(
                f"{len(records):>9}  {label:<17} {wall:>7.3f} {wall / floor_wall:>7.2f}x  {cpu:>6.2f} "
                f"{cpu / floor_cpu:>7.2f}x  {counts[label][0]:>9}  {counts[label][1]:>13}"
            )

    if len(medians) >= 2:
        (n0, r0), (n1, r1) = next(iter(medians.items())), list(medians.items())[-1]
        scale = n1 / n0
        for label in PACKS:
            growth = r1[label][0] / r0[label][0]
            print(
                f"growth (wall) {label:<17} {n0} -> {n1} resources: x{growth:.2f} for x{scale:.1f} "
                f"= {growth / scale:.2f} of linear"
            )
        ratio = r1[PACK][0] / r1[FLOOR][0]
        linear = (r1[PACK][0] / r0[PACK][0]) / scale
        print(
            f"goal: <= 3.00x floor at {n1} (wall): {ratio:.2f}x {'MET' if ratio <= 3 else 'MISSED'}; "
            f"growth <= 1.50 of linear: {linear:.2f} {'MET' if linear <= 1.5 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
