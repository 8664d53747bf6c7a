"""pytest plugin for `make mutate` (tools/mutate.py loads it with `-p tools.mutation_plugin`).

It changes no test and no verdict; it only makes a mutant's test run stop sooner and repeat exactly:
- `MUTATION_DURATIONS_OUT=path`: record each test's call time (the baseline run, on the unmutated pack).
- `MUTATION_DURATIONS_IN=path`: run the tests fastest first, by those times, so that with `-x` a killed
  mutant costs the cheap tests that catch it, not the slow fuzz tests that happen to sort first.
- `MUTATION_COVERAGE_OUT=path` (baseline): record which tests execute which lines of the pack
  (coverage.py, one context per test), with the pack's unmutated sources.
- `MUTATION_COVERAGE_IN=path` (each mutant): find the one pack module that differs from the baseline's
  source and run only the tests that executed the changed statement (tools/mutation_select.py says
  when that is every test), plus every test that judges through a pack subprocess. A mutant whose
  statement no test executes has no test to fail: the run passes with none (it survives).
- hypothesis runs derandomized and without its example database, so a run depends on the seed and the
  sample only, not on what an earlier mutant left in `.hypothesis/`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

try:  # run as `-p tools.mutation_plugin` from the repository root
    from tools import mutation_select as sel
except ImportError:  # pragma: no cover - imported by path in a test
    import mutation_select as sel  # type: ignore[no-redef]

PACK = Path("policypack") / "cognito_s3_guard"
SUBPROCESS_FIXTURES = frozenset({"pack"})  # tests/policypack/conftest.py: the pack as a subprocess
_calls: dict[str, float] = {}
_cov: Any = None
_always: list[str] = []  # baseline: the tests that judge through a pack subprocess
_chosen: frozenset[str] | None = None  # a mutant's run: the tests to run (None: every test)


def _start_coverage() -> Any:
    import coverage

    cov = coverage.Coverage(data_file=None, source=[str(PACK.resolve())], config_file=False)
    cov.start()
    return cov


if os.environ.get("MUTATION_COVERAGE_OUT"):  # before any conftest imports the pack
    _cov = _start_coverage()


def _derandomize_hypothesis() -> None:
    try:
        from hypothesis import settings
    except ImportError:  # pragma: no cover - hypothesis is a dev dependency
        return
    settings.register_profile("mutation", derandomize=True, database=None)
    settings.load_profile("mutation")


def order_by_duration(nodeids: list[str], durations: dict[str, float]) -> list[str]:
    """Fastest first; a test the baseline did not time keeps its place among the untimed, last."""
    known = [n for n in nodeids if n in durations]
    unknown = [n for n in nodeids if n not in durations]
    return sorted(known, key=lambda n: durations[n]) + unknown


def pack_sources(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text() for p in sorted((root / PACK).rglob("*.py"))}


def mutated(baseline: dict[str, str], now: dict[str, str]) -> tuple[str, range | None] | None:
    """The module that differs from the baseline and the lines of the statement changed in it (None:
    the change needs every test), or None when nothing differs."""
    for module, before in baseline.items():
        span = sel.changed_lines(before, now.get(module, ""))
        if span is not None:
            return module, sel.statement_lines(before, *span)
    return None


def selection(data: dict[str, Any], root: Path) -> frozenset[str] | None:
    """The test ids to run against the pack as it is under `root` (None: every test)."""
    change = mutated(data["sources"], pack_sources(root))
    if change is None:
        return sel.ALL
    chosen = sel.select(sel.from_json(data["coverage"]), *change)
    return chosen if chosen is sel.ALL else chosen | frozenset(data["always"])


def pytest_configure(config: pytest.Config) -> None:
    global _chosen
    _derandomize_hypothesis()
    cov_in = os.environ.get("MUTATION_COVERAGE_IN")
    if cov_in:
        _chosen = selection(json.loads(Path(cov_in).read_text()), Path.cwd())


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """A test file none of whose tests is chosen is not even imported (most of a run is start-up)."""
    if _chosen is None or not collection_path.name.startswith("test_") or collection_path.suffix != ".py":
        return None
    prefix = collection_path.resolve().relative_to(Path.cwd()).as_posix() + "::"
    return not any(n.startswith(prefix) for n in _chosen) or None


def pytest_collection_modifyitems(config: pytest.Config, items: list[Any]) -> None:
    path = os.environ.get("MUTATION_DURATIONS_IN")
    if path and Path(path).is_file():
        durations = json.loads(Path(path).read_text())
        by_id = {item.nodeid: item for item in items}
        items[:] = [by_id[n] for n in order_by_duration(list(by_id), durations)]
    if _cov is not None:
        _always[:] = [i.nodeid for i in items if SUBPROCESS_FIXTURES & set(i.fixturenames)]
    if _chosen is not None:
        keep = [i for i in items if i.nodeid in _chosen]
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid not in _chosen])
        items[:] = keep


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: Any) -> None:
    if _cov is not None:
        _cov.switch_context(item.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: Any) -> None:
    if _cov is not None:
        _cov.switch_context("")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _calls[report.nodeid] = report.duration


def _write_coverage(path: Path) -> None:
    _cov.stop()
    data = _cov.get_data()
    root = Path.cwd()
    rows = []
    for filename in data.measured_files():
        module = Path(filename).resolve().relative_to(root).as_posix()
        for line, names in data.contexts_by_lineno(filename).items():
            rows.append((module, line, names))
    payload = {"sources": pack_sources(root), "coverage": sel.to_json(sel.build(rows)), "always": _always}
    path.write_text(json.dumps(payload))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    path = os.environ.get("MUTATION_DURATIONS_OUT")
    if path:
        Path(path).write_text(json.dumps(_calls, indent=0, sort_keys=True))
    cov_out = os.environ.get("MUTATION_COVERAGE_OUT")
    if cov_out and _cov is not None:
        _write_coverage(Path(cov_out))
    if _chosen is not None and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK  # no test executes the change: it survives
