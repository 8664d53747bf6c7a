"""make mutate's test selection (tools/mutation_select.py, tools/mutation_plugin.py): a mutant runs only
the tests that executed the statement it changes, and every test when that cannot be told."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tools import mutation_select as sel
from tools.mutation_plugin import PACK, mutated, pack_sources, selection

SOURCE = textwrap.dedent('''\
    LIMIT = 3


    def f(x, default=LIMIT):
        if x > 1:
            return [y
                    for y in range(x)]
        return x


    class C:
        size = 2

        def g(self):
            def inner(k=1):
                return k
            return inner()
''')


def test_a_changed_line_is_placed_in_the_source_before_the_change() -> None:
    after = SOURCE.replace("if x > 1:", "if x >= 1:")
    assert sel.changed_lines(SOURCE, after) == (5, 5)
    assert sel.changed_lines(SOURCE, SOURCE) is None
    deleted = SOURCE.replace("    return x\n", "")
    assert sel.changed_lines(SOURCE, deleted) == (8, 8)


def test_a_change_inside_a_function_maps_to_its_innermost_statement() -> None:
    assert sel.statement_lines(SOURCE, 5, 5) == range(5, 8)  # the if statement (header and body)
    assert sel.statement_lines(SOURCE, 7, 7) == range(6, 8)  # second line of a two-line return
    assert sel.statement_lines(SOURCE, 8, 8) == range(8, 9)
    assert sel.statement_lines(SOURCE, 16, 16) == range(16, 17)  # inside a nested function


def test_a_change_outside_any_function_body_needs_every_test() -> None:
    assert sel.statement_lines(SOURCE, 1, 1) is sel.ALL  # a module constant
    assert sel.statement_lines(SOURCE, 4, 4) is sel.ALL  # a default argument of a module-level def
    assert sel.statement_lines(SOURCE, 12, 12) is sel.ALL  # a class attribute


def test_a_default_of_a_nested_def_runs_with_the_def_statement() -> None:
    assert sel.statement_lines(SOURCE, 15, 15) == range(15, 16)


COV = sel.build([
    ("m.py", 5, ["t::a", "t::b"]),
    ("m.py", 6, ["t::b"]),
    ("m.py", 8, ["t::c"]),
    ("m.py", 1, [""]),
])


def test_only_the_tests_that_executed_the_statement_are_selected() -> None:
    assert sel.select(COV, "m.py", range(6, 8)) == {"t::b"}
    assert sel.select(COV, "m.py", range(5, 8)) == {"t::a", "t::b"}
    assert sel.select(COV, "m.py", range(9, 10)) == frozenset()  # no test executes it


def test_unknown_placement_selects_every_test() -> None:
    assert sel.select(COV, "m.py", None) is sel.ALL
    assert sel.select(COV, "m.py", range(1, 2)) is sel.ALL  # executed outside any test
    assert sel.select(COV, "other.py", range(1, 2)) is sel.ALL  # a module the baseline never measured


def test_the_map_survives_its_json_form() -> None:
    assert sel.from_json(sel.to_json(COV)) == COV


def test_the_mutated_module_is_found_by_comparing_with_the_baseline_sources(tmp_path: Path) -> None:
    (tmp_path / PACK).mkdir(parents=True)
    (tmp_path / PACK / "m.py").write_text(SOURCE)
    base = pack_sources(tmp_path)
    assert mutated(base, pack_sources(tmp_path)) is None
    (tmp_path / PACK / "m.py").write_text(SOURCE.replace("return x\n", "return -x\n"))
    assert mutated(base, pack_sources(tmp_path)) == ((PACK / "m.py").as_posix(), range(8, 9))


def test_the_subprocess_tests_always_run_unless_every_test_does(tmp_path: Path) -> None:
    (tmp_path / PACK).mkdir(parents=True)
    (tmp_path / PACK / "m.py").write_text(SOURCE)
    module = (PACK / "m.py").as_posix()
    data = {"sources": pack_sources(tmp_path), "always": ["t::protocol"],
            "coverage": sel.to_json(sel.build([(module, 8, ["t::c"]), (module, 1, [""])]))}
    assert selection(data, tmp_path) is sel.ALL  # nothing changed: the unmutated pack, every test
    (tmp_path / PACK / "m.py").write_text(SOURCE.replace("return x\n", "return -x\n"))
    assert selection(data, tmp_path) == {"t::c", "t::protocol"}
    (tmp_path / PACK / "m.py").write_text(SOURCE.replace("LIMIT = 3", "LIMIT = 4"))
    assert selection(data, tmp_path) is sel.ALL
