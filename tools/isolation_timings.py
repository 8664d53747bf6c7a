"""Time per solver query on the isolation test shapes, and the fast-path hit rate (issue 14).

Run: .venv/bin/python tools/isolation_timings.py   (prints figures; nothing is asserted)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "policypack")]

from cognito_s3_guard.isolation import STATS, check, decide  # noqa: E402

from tests.policypack.isolation.helpers import BUCKET, problem  # noqa: E402
from tests.policypack.isolation.test_cases import CASES  # noqa: E402
from tests.policypack.pack_builder import role_statements  # noqa: E402


def solver_only(timeout_ms: int) -> list[float]:
    """Every property of every named case through the solver (no witness search, no fast path)."""
    times: list[float] = []
    for name, (p, _) in CASES.items():
        row = []
        for prop in ("write", "read", "shared"):
            verdict, ms = decide(p, prop, timeout_ms, witness=False)
            times.append(ms)
            row.append(f"{prop}={verdict.kind} {ms:6.0f}ms")
        print(f"  {name:52s} " + "  ".join(row))
    return times


def main() -> None:
    timeout_ms = 20000
    print("solver only, per query:")
    times = sorted(solver_only(timeout_ms))
    print(f"  {len(times)} queries: median {times[len(times) // 2]:.0f} ms, "
          f"p90 {times[int(len(times) * 0.9)]:.0f} ms, max {times[-1]:.0f} ms")
    print("as check() runs them (fast path, witness search, solver, cache), per check:")
    for name, (p, _) in CASES.items():
        start = time.perf_counter()
        r = check(p, timeout_ms)
        ms = (time.perf_counter() - start) * 1000
        kinds = "/".join(v.kind for v in (r.write, r.read, r.shared))
        via = "/".join(v.via for v in (r.write, r.read, r.shared))
        print(f"  {name:52s} {kinds:38s} {via:24s} {ms:6.0f}ms")
    roles = [problem(*role_statements(BUCKET)) for _ in range(50)] + [p for p, _ in CASES.values()] * 5
    start = time.perf_counter()
    for p in roles:
        check(p, timeout_ms)
    elapsed = time.perf_counter() - start
    total = STATS["fast"] + STATS["cache"] + STATS["solved"]
    print(f"checks: {total} (fast path {STATS['fast']}, cache {STATS['cache']}, solved {STATS['solved']}); "
          f"fast-path hit rate {STATS['fast'] / total:.0%}; {len(roles)} repeat checks in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
