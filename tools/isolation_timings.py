"""Time per solver query on the isolation test shapes, and the fast-path hit rate (issue 14).

Run: .venv/bin/python tools/isolation_timings.py   (prints figures; nothing is asserted)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "policypack")]

from cognito_s3_guard.isolation import STATS, check  # noqa: E402

from tests.policypack.isolation.helpers import BUCKET, problem  # noqa: E402
from tests.policypack.isolation.test_cases import CASES  # noqa: E402
from tests.policypack.pack_builder import role_statements  # noqa: E402


def main() -> None:
    timeout_ms = 20000
    all_ms: list[float] = []
    for name, (p, _) in CASES.items():
        result = check(p, timeout_ms)
        kinds = f"{result.write.kind}/{result.read.kind}/{result.shared.kind}"
        all_ms += result.timings_ms
        print(f"{name:48s} {kinds:40s} " + " ".join(f"{ms:7.0f}ms" for ms in result.timings_ms))
    roles = [problem(*role_statements(BUCKET)) for _ in range(50)] + [p for p, _ in CASES.values()] * 5
    start = time.perf_counter()
    for p in roles:
        check(p, timeout_ms)
    elapsed = time.perf_counter() - start
    total = STATS["fast"] + STATS["cache"] + STATS["solved"]
    all_ms.sort()
    print(f"queries: {len(all_ms)}, median {all_ms[len(all_ms) // 2]:.0f} ms, max {all_ms[-1]:.0f} ms")
    print(f"checks: {total} (fast path {STATS['fast']}, cache {STATS['cache']}, solved {STATS['solved']}); "
          f"fast-path hit rate {STATS['fast'] / total:.0%}; {len(roles)} repeat checks in {elapsed:.2f} s")


if __name__ == "__main__":
    main()
