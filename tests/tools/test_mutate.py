"""The pure parts of the mutation harness (tools/mutate.py): the sample, the score table, the survivors."""

from __future__ import annotations

from pathlib import Path

from tools.mutate import (
    KILLED,
    SURVIVED,
    TIMEOUT,
    Mutant,
    Result,
    annotation_spans,
    diff_lines,
    discover_modules,
    in_annotation,
    render,
    sample_mutants,
    score_table,
    survivors,
)
from tools.mutation_plugin import order_by_duration


def mutant(module: str, line: int, operator: str = "core/AddNot", occurrence: int = 0) -> Mutant:
    return Mutant(module, operator, occurrence, (line, 4), (line, 9))


POOL = [mutant(f"m{i % 3}.py", i, op, i) for i in range(1, 40) for op in ("core/A", "core/B", "core/C")]


def test_a_seed_names_one_sample_whatever_order_the_mutants_come_in() -> None:
    first = sample_mutants(POOL, 20, seed=5)
    assert sample_mutants(list(reversed(POOL)), 20, seed=5) == first
    assert len(first) == len(set(first)) == 20
    assert sample_mutants(POOL, 20, seed=6) != first


def test_every_site_gets_one_change_before_any_site_gets_a_second() -> None:
    picked = sample_mutants(POOL, 39, seed=1)
    assert len({m.site for m in picked}) == 39
    assert len(sample_mutants(POOL, 1000, seed=1)) == len(POOL)


def test_the_score_table_counts_per_module_and_in_total() -> None:
    results = [
        Result(mutant("a.py", 1), KILLED),
        Result(mutant("a.py", 2), TIMEOUT),
        Result(mutant("a.py", 3), SURVIVED, ("-    x = 1", "+    x = 2")),
        Result(mutant("b.py", 1), KILLED),
        Result(mutant("b.py", 2), "incompetent"),
    ]
    scores, total = score_table(results, ["a.py", "b.py", "c.py"])
    a, b, c = scores
    assert (a.killed, a.timeout, a.survived, a.judged) == (1, 1, 1, 3)
    assert a.score == 2 / 3
    assert (b.judged, b.score, b.incompetent) == (1, 1.0, 1)
    assert (c.judged, c.score) == (0, None)
    assert (total.judged, total.score) == (4, 3 / 4)
    text = render(scores, total, results)
    assert "a.py:3  core/AddNot\n    -    x = 1\n    +    x = 2" in text
    assert "total" in text and "75.0%" in text
    assert [r.mutant.start[0] for r in survivors(results)] == [3]


def test_diff_lines_keep_the_change_only() -> None:
    diff = "--- mutation diff ---\n--- a/x.py\n+++ b/x.py\n@@ -3,1 +3,1 @@\n-    a == b\n+    a != b\n"
    assert diff_lines(diff) == ("-    a == b", "+    a != b")


def test_a_change_inside_a_type_annotation_is_recognised() -> None:
    spans = annotation_spans("def f(x: int | None) -> str | None:\n    return x | 1\n")
    assert in_annotation(Mutant("m", "core/X", 0, (1, 13), (1, 14)), spans)
    assert in_annotation(Mutant("m", "core/X", 0, (1, 28), (1, 29)), spans)
    assert not in_annotation(Mutant("m", "core/X", 0, (2, 13), (2, 14)), spans)


def test_the_pack_modules_are_found_by_glob_without_entry_points_or_generated_tables(tmp_path: Path) -> None:
    pack = tmp_path / "policypack" / "cognito_s3_guard"
    for name in ("__init__.py", "actions.py", "graph.py", "rules/__init__.py", "rules/trust.py"):
        (pack / name).parent.mkdir(parents=True, exist_ok=True)
        (pack / name).write_text("")
    (tmp_path / "policypack" / "__main__.py").write_text("")
    assert discover_modules(tmp_path) == [
        "policypack/cognito_s3_guard/__init__.py",
        "policypack/cognito_s3_guard/graph.py",
        "policypack/cognito_s3_guard/rules/__init__.py",
        "policypack/cognito_s3_guard/rules/trust.py",
    ]


def test_tests_run_fastest_first_and_untimed_ones_last() -> None:
    assert order_by_duration(["a", "b", "new", "c"], {"a": 3.0, "b": 0.1, "c": 1.0}) == ["b", "c", "a", "new"]
