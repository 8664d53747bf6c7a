"""Benchmark: AnalyzeStack through the real analyzer protocol, our pack against a no-op floor.

Not a test. Builds preview-shaped stacks of about 1,000 and 10,000 resources (tenants of the full
pattern, bench/synthetic.py), launches each pack exactly as the CLI does (offline/analyzer.py), sends
ConfigureStack, GetAnalyzerInfo and Configure, then times one AnalyzeStack on a prebuilt request. As with
`pulumi preview`, every measurement is a fresh pack process answering its first AnalyzeStack (no warm
caches, no result reused from an earlier identical request); the figure is the median of --runs such
launches. The floor is bench/noop_pack: one empty stack policy, so it measures what the SDK itself
costs per request (transfer plus deserializing every resource once).

Goal (issue 3): at most 3x the floor at 10,000 resources; growth 1k -> 10k within 1.5x of linear.
Usage: .venv/bin/python bench/analyze_stack.py [--sizes 1000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from synthetic import stack  # noqa: E402

from offline.analyzer import analyze_stack_request, launch, preview_skips  # noqa: E402

PACKS = {"no-op floor": ROOT / "bench" / "noop_pack", "cognito-s3-guard": ROOT / "policypack"}


def time_pack(pack_dir: Path, request, runs: int) -> tuple[float, int, int]:
    times = []
    for _ in range(runs):
        with launch(pack_dir, project="files", stack="bench", dry_run=True) as client:
            client.configure_stack("files", "bench", True)
            client.get_info()
            client.configure()
            start = time.perf_counter()
            diagnostics = client.analyze_stack_request(request)
            times.append(time.perf_counter() - start)
    mandatory = sum(d.mandatory for d in diagnostics)
    return statistics.median(times), mandatory, len(preview_skips(diagnostics))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    rows = []
    print(f"{'resources':>9}  {'pack':<17} {'median s':>9}  {'x floor':>7}  mandatory  preview-skips")
    for size in args.sizes:
        records = stack(size)
        request = analyze_stack_request(records)
        result = {}
        for label, pack_dir in PACKS.items():
            seconds, mandatory, skips = time_pack(pack_dir, request, args.runs)
            result[label] = seconds
            ratio = seconds / result["no-op floor"]
            print(
                f"{len(records):>9}  {label:<17} {seconds:>9.3f}  {ratio:>7.2f}  {mandatory:>9}  {skips:>13}"
            )
        rows.append((len(records), result))

    if len(rows) >= 2:
        (n0, r0), (n1, r1) = rows[0], rows[-1]
        scale = n1 / n0
        for label in PACKS:
            growth = r1[label] / r0[label]
            print(
                f"growth {label:<17} {n0} -> {n1} resources: x{growth:.2f} for x{scale:.1f} resources "
                f"= {growth / scale:.2f} of linear"
            )
        final = r1["cognito-s3-guard"] / r1["no-op floor"]
        linear = (r1["cognito-s3-guard"] / r0["cognito-s3-guard"]) / scale
        print(
            f"goal: <= 3.00x floor at {n1}: {final:.2f}x {'MET' if final <= 3 else 'MISSED'}; "
            f"growth <= 1.50 of linear: {linear:.2f} {'MET' if linear <= 1.5 else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
