"""The README's rule table is the registry's: this test fails when the two differ, and prints the table
to paste (``python tests/policypack/test_readme_table.py`` prints it too)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "policypack")]

from cognito_s3_guard.config import schema_properties  # noqa: E402
from cognito_s3_guard.policies import SPECS  # noqa: E402
from cognito_s3_guard.rules import rules_of  # noqa: E402

BEGIN, END = "<!-- POLICY-TABLE -->", "<!-- /POLICY-TABLE -->"


def expected_table() -> str:
    rows = [
        "| policy (type, default level) | rule | default | what it checks | references | config |",
        "|---|---|---|---|---|---|",
    ]
    for spec in SPECS:
        config = ", ".join(f"`{k}`" for k in schema_properties(spec.name))
        for rule in rules_of(spec.name):
            refs = ", ".join(r for r in rule.references if not r.startswith("http")) or "AWS docs"
            docs = [r for r in rule.references if r.startswith("http")]
            refs += "".join(f" [{i + 1}]({u})" for i, u in enumerate(docs))
            policy = f"`{spec.name}` ({spec.kind}, {spec.level.value})"
            rows.append(f"| {policy} | `{rule.id}` | {rule.level} | {rule.title} | {refs} | {config} |")
    return "\n".join(rows)


def readme_table() -> str:
    text = (ROOT / "README.md").read_text()
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def test_readme_table_is_the_registry():
    assert readme_table() == expected_table(), "README rule table differs; paste:\n" + expected_table()


if __name__ == "__main__":
    print(expected_table())
