"""Which tests can notice a change to one line of the pack: the pure half of `make mutate`'s test selection.

The unmutated baseline run records, per pack module and line, the tests that executed it (coverage.py,
one context per test; tools/mutation_plugin.py). A mutant changes one expression. A test that never
executes the statement holding that expression runs exactly as before, so it cannot fail because of
the change and need not run. Three cases are not decided by line coverage, and there every test runs:
- a change outside any function body (module or class level: constants, defaults, decorators) runs at
  import, whichever test happens to import the module first;
- a line that the baseline saw executed outside any test (during collection or a fixture's import);
- tests that judge through a pack launched as a subprocess (the analyzer protocol): coverage in this
  process cannot see their lines, so they always run (the plugin adds them).
Skipping tests can only make a mutant survive that a full run would kill, never the reverse, so the score
this selection gives is a lower bound of the full run's.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ALL = None  # "every test": the change cannot be placed inside a function body


@dataclass(frozen=True)
class Coverage:
    """The baseline's map: for each module (repo-relative path) and line, the indices into `tests` of
    the tests that executed it; index -1 stands for "outside any test"."""

    tests: tuple[str, ...]
    lines: Mapping[str, Mapping[int, frozenset[int]]]


OUTSIDE = -1


def changed_lines(before: str, after: str) -> tuple[int, int] | None:
    """The first and last line of `before` (1-based) that `after` replaces or deletes; None if equal.
    A pure insertion is placed on the line before it (or line 1)."""
    if before == after:
        return None
    old = before.splitlines(keepends=True)
    spans = []
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(None, old, after.splitlines(keepends=True),
                                                         autojunk=False).get_opcodes():  # fmt: skip
        if tag != "equal":
            spans.append((i1 + 1, i2) if i2 > i1 else (max(i1, 1), max(i1, 1)))
    return (min(s for s, _ in spans), max(e for _, e in spans))


def statement_lines(source: str, first: int, last: int) -> range | None:
    """The lines of the innermost statement inside a function body that holds lines first..last, or
    None (ALL) when the change is not inside any function body."""
    tree = ast.parse(source)
    best: ast.stmt | None = None

    def visit(node: ast.AST, in_function: bool) -> None:
        nonlocal best
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and child.lineno <= first:
                header_end = child.body[0].lineno - 1
                if first <= header_end:  # the def line (defaults): runs when the def statement runs
                    if inner and last <= header_end:
                        best = ast.Pass(lineno=child.lineno, end_lineno=header_end)
                    return
            span = (getattr(child, "lineno", None), getattr(child, "end_lineno", None))
            if span[0] is None or not (span[0] <= first and last <= span[1]):
                continue
            if isinstance(child, ast.stmt) and inner:
                best = child
            visit(child, inner)

    visit(tree, False)
    return None if best is None else range(best.lineno, best.end_lineno + 1)


def select(cov: Coverage, module: str, lines: range | None) -> frozenset[str] | None:
    """The tests to run against a change on `lines` of `module`: None means every test."""
    if lines is None or module not in cov.lines:
        return ALL
    hit: set[int] = set()
    by_line = cov.lines[module]
    for line in lines:
        hit |= by_line.get(line, frozenset())
    if OUTSIDE in hit:
        return ALL
    return frozenset(cov.tests[i] for i in hit)


def to_json(cov: Coverage) -> dict[str, object]:
    return {"tests": list(cov.tests),
            "lines": {m: {str(n): sorted(ix) for n, ix in by.items()} for m, by in cov.lines.items()}}


def from_json(data: Mapping[str, object]) -> Coverage:
    lines = data["lines"]
    assert isinstance(lines, dict)
    return Coverage(tuple(data["tests"]),  # type: ignore[arg-type]
                    {m: {int(n): frozenset(ix) for n, ix in by.items()} for m, by in lines.items()})


def build(contexts: Iterable[tuple[str, int, Iterable[str]]]) -> Coverage:
    """From (module, line, contexts that ran it) rows, a context being a test id or "" (no test)."""
    tests: dict[str, int] = {}
    lines: dict[str, dict[int, set[int]]] = {}
    for module, line, names in contexts:
        slot = lines.setdefault(module, {}).setdefault(line, set())
        for name in names:
            slot.add(tests.setdefault(name, len(tests)) if name else OUTSIDE)
    return Coverage(tuple(tests), {m: {n: frozenset(s) for n, s in by.items()} for m, by in lines.items()})
