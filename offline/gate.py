"""Offline preview gate: ``pulumi preview --policy-pack`` without the CLI and without a cloud account.

``python -m offline.gate --stack test [--deployed] [--program DIR] [--pack DIR]``

1. Runs the program for the stack under Pulumi mocks (``offline.mockrun``): a first preview by
   default (provider-computed values unknown, names known), or ``--deployed`` (every value known).
2. Prints the resources it would create as ``pulumi preview`` does: a tree, parents nested.
3. Sends them through the policy pack over the real analyzer protocol (``offline.analyzer``):
   ``Analyze`` per resource, then ``AnalyzeStack``.
4. Prints each diagnostic (level, policy, resource, message), the outputs and the counts, and exits
   non-zero on a MANDATORY violation.

Exit codes: 0 no mandatory violations; 1 mandatory violations; 2 the program or its project/stack
files failed (nothing was judged); 3 the policy pack could not be run.

Formatting is pure functions over ``StackCapture`` and ``Diagnostic``; ``main`` is the thin edge.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from offline.model import (
    SECRET_SIG,
    SECRET_SIG_KEY,
    STACK_TYPE,
    UNKNOWN,
    Diagnostic,
    ResourceRecord,
    StackCapture,
)

EXIT_CLEAN, EXIT_BLOCKED, EXIT_PROGRAM_FAILED, EXIT_PACK_FAILED = 0, 1, 2, 3
LEVEL_ORDER = {"mandatory": 0, "remediate": 1, "advisory": 2, "disabled": 3}


# --- the plan (pure) -----------------------------------------------------------------------------


def display_type(token: str) -> str:
    """The type as ``pulumi preview`` shows it: ``aws:s3/bucket:Bucket`` -> ``aws:s3:Bucket``.

    The module's last path segment is dropped when it is the type name, first letter lower-cased.
    """
    parts = token.split(":")
    if len(parts) != 3 or not parts[2]:
        return token
    package, module, name = parts
    tail = "/" + name[0].lower() + name[1:]
    if module.endswith(tail):
        module = module[: -len(tail)]
    return f"{package}:{module}:{name}"


def stack_display_name(capture: StackCapture) -> str:
    return f"{capture.project}-{capture.stack}"


def record_name(record: ResourceRecord, capture: StackCapture) -> str:
    return stack_display_name(capture) if record.type == STACK_TYPE else record.name


@dataclass(frozen=True)
class TreeRow:
    """One line of the plan: tree prefix, type and name of a resource to create."""

    prefix: str
    type: str
    name: str


def _is_shown(record: ResourceRecord) -> bool:
    # Like the CLI, default providers are not part of the plan's tree.
    return not record.type.startswith("pulumi:providers:")


def tree_rows(capture: StackCapture) -> list[TreeRow]:
    """The resources as a tree in registration order, children under their parents.

    A resource whose parent was not registered is shown at the top level rather than dropped.
    """
    shown = [r for r in capture.resources if _is_shown(r)]
    urns = {r.urn for r in shown}
    children: dict[str | None, list[ResourceRecord]] = {}
    for record in shown:
        parent = record.parent if record.parent in urns and record.parent != record.urn else None
        children.setdefault(parent, []).append(record)

    rows: list[TreeRow] = []
    seen: set[str] = set()

    def walk(record: ResourceRecord, lead: str, branch: str) -> None:
        if record.urn in seen:  # a cycle in malformed input must not loop for ever
            return
        seen.add(record.urn)
        rows.append(TreeRow(lead + branch, display_type(record.type), record_name(record, capture)))
        kids = children.get(record.urn, [])
        below = lead + ("" if not branch else ("   " if branch == "└─ " else "│  "))
        for i, kid in enumerate(kids):
            walk(kid, below, "└─ " if i == len(kids) - 1 else "├─ ")

    for top in children.get(None, []):
        walk(top, "", "")
    return rows


def format_plan(capture: StackCapture, deployed: bool = False) -> str:
    """The header and the resource table, in ``pulumi preview``'s layout."""
    shape = (
        "deployed shape: every value known"
        if deployed
        else "first-preview shape: provider-computed values unknown"
    )
    rows = tree_rows(capture)
    type_width = max([len("Type"), *(len(r.prefix) + len(r.type) for r in rows)])
    name_width = max([len("Name"), *(len(r.name) for r in rows)])
    lines = [
        f"Previewing update ({capture.stack}) offline, under Pulumi mocks ({shape}):",
        "",
        f"     {'Type':<{type_width}}  {'Name':<{name_width}}  Plan",
    ]
    for row in rows:
        lines.append(f" +   {row.prefix + row.type:<{type_width}}  {row.name:<{name_width}}  create")
    return "\n".join(lines)


def create_count(capture: StackCapture) -> int:
    return sum(1 for r in capture.resources if _is_shown(r))


def format_value(value: Any) -> str:
    """A stack output as the CLI shows it: unknowns as ``output<string>``, secrets as ``[secret]``,
    at any depth; anything else as JSON."""
    if value == UNKNOWN or _is_secret(value):
        return _mask(value)
    return json.dumps(_mask(value), sort_keys=True)


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SECRET_SIG_KEY) == SECRET_SIG


def _mask(value: Any) -> Any:
    if value == UNKNOWN:
        return "output<string>"
    if _is_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def format_outputs(outputs: Mapping[str, Any]) -> str:
    if not outputs:
        return ""
    width = max(len(k) for k in outputs)
    lines = ["Outputs:"]
    for key in sorted(outputs):
        lines.append(f"    {key + ':':<{width + 1}} {format_value(outputs[key])}")
    return "\n".join(lines)


def format_counts(capture: StackCapture) -> str:
    return f"Resources:\n    + {create_count(capture)} to create"


# --- the verdict (pure) --------------------------------------------------------------------------


def parse_urn(urn: str) -> tuple[str, str]:
    """``urn:pulumi:<stack>::<project>::<parent types$>type::<name>`` -> (type, name)."""
    parts = urn.split("::")
    if len(parts) < 4 or not urn.startswith("urn:pulumi:"):
        return "", urn
    qualified_type = parts[2]
    name = "::".join(parts[3:])
    return qualified_type.split("$")[-1], name


def resource_label(urn: str, capture: StackCapture) -> str:
    """``type: name`` for a diagnostic's resource; the stack itself when the URN is empty."""
    if not urn:
        return f"{STACK_TYPE}: {stack_display_name(capture)}"
    for record in capture.resources:
        if record.urn == urn:
            return f"{record.type}: {record_name(record, capture)}"
    type_, name = parse_urn(urn)
    return f"{type_}: {name}" if type_ else urn


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Mandatory first, then the pack's own order."""
    return sorted(diagnostics, key=lambda d: LEVEL_ORDER.get(d.level, 9))


@dataclass(frozen=True)
class Verdict:
    mandatory: int
    advisory: int
    preview_skips: int

    @property
    def exit_code(self) -> int:
        return EXIT_BLOCKED if self.mandatory else EXIT_CLEAN


def verdict(diagnostics: Iterable[Diagnostic]) -> Verdict:
    diags = list(diagnostics)
    return Verdict(
        mandatory=sum(1 for d in diags if d.mandatory),
        advisory=sum(1 for d in diags if d.level == "advisory" and not d.preview_skip),
        preview_skips=sum(1 for d in diags if d.preview_skip),
    )


def _indent(text: str, spaces: int) -> list[str]:
    pad = " " * spaces
    return [pad + line if line else "" for line in text.splitlines()] or [pad]


def format_policies(diagnostics: Sequence[Diagnostic], capture: StackCapture, pack_label: str) -> str:
    """The ``Policies:`` block: the pack with a mark, then each diagnostic under it."""
    diags = sort_diagnostics(diagnostics)
    mark = "❌" if any(d.mandatory for d in diags) else ("⚠️ " if diags else "✅")
    lines = ["Policies:", f"    {mark} {pack_label}"]
    for d in diags:
        lines.append(f"        - [{d.level}]  {d.policy}  ({resource_label(d.urn, capture)})")
        lines.extend(_indent(d.message, 10))  # the SDK's message starts with the policy's description
        if d.preview_skip:
            lines.append("          (this policy enforced nothing at this preview: it read an unknown value)")
    return "\n".join(lines)


def pack_label(name: str, version: str, pack_dir: str) -> str:
    """``name@vX (local: dir)``, as the CLI names a local pack."""
    head = f"{name}@v{version}" if name and version else (name or "policy pack")
    return f"{head} (local: {pack_dir})"


def declared_pack_version(pack_dir: Path) -> str:
    """The ``version`` of the pack's PulumiPolicy.yaml, which the CLI reports instead of the SDK's
    placeholder (a Python pack always says 0.0.1); empty when the file or the field is missing."""
    import yaml

    try:
        declared = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text())
    except (OSError, yaml.YAMLError):
        return ""
    version = declared.get("version") if isinstance(declared, dict) else None
    return str(version) if version not in (None, "") else ""


def format_verdict(v: Verdict) -> str:
    notes = []
    if v.advisory:
        notes.append(f"{v.advisory} advisory")
    if v.preview_skips:
        notes.append(f"{v.preview_skips} policy run(s) skipped at preview")
    tail = f" ({', '.join(notes)})" if notes else ""
    if v.mandatory:
        noun = "violation" if v.mandatory == 1 else "violations"
        return f"BLOCKED: {v.mandatory} mandatory {noun}{tail}: `pulumi preview --policy-pack` would fail"
    return f"no mandatory violations{tail}"


def format_report(
    capture: StackCapture,
    diagnostics: Sequence[Diagnostic],
    pack_label: str,
    deployed: bool = False,
) -> str:
    """Everything the gate prints for a judged run, in the CLI's order."""
    blocks = [
        format_plan(capture, deployed),
        format_policies(diagnostics, capture, pack_label),
        format_outputs(capture.outputs),
        format_counts(capture),
        format_verdict(verdict(diagnostics)),
    ]
    return "\n\n".join(b for b in blocks if b) + "\n"


def format_program_failure(program_dir: str, stack: str, message: str) -> str:
    return (
        f"error: the program in {program_dir} failed for stack {stack!r}; nothing was judged.\n"
        + "\n".join(_indent(message.strip() or "(no message)", 4))
        + "\n"
    )


# --- command line (thin) -------------------------------------------------------------------------


def parse_config_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """``-c key=value`` pairs, as ``pulumi preview -c`` takes them."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"--config {pair!r}: expected key=value")
        overrides[key] = value
    return overrides


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m offline.gate",
        description="Offline `pulumi preview --policy-pack`: run a Pulumi Python program under mocks and "
        "judge it with a policy pack over the real analyzer protocol.",
    )
    parser.add_argument("--stack", default="test", help="stack name; config from Pulumi.<stack>.yaml")
    parser.add_argument("--program", default=".", help="the Pulumi program directory (default: .)")
    parser.add_argument(
        "--pack", default="policypack", help="the policy pack directory (default: policypack)"
    )
    parser.add_argument(
        "--deployed",
        action="store_true",
        help="judge the deployed shape (every value known), not a first preview",
    )
    parser.add_argument(
        "-c",
        "--config",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a stack config value",
    )
    parser.add_argument(
        "--policy-config", metavar="FILE", help="policy pack config JSON, as for --policy-pack-config"
    )
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    # Imported here so that the pure formatting above loads without the Pulumi runtime.
    from offline.analyzer import AnalyzerError, launch_for
    from offline.mockrun import ProgramError, ProjectError, run_program

    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    deployed = bool(args.deployed)
    try:
        overrides = parse_config_overrides(args.config)
        policy_config = json.loads(Path(args.policy_config).read_text()) if args.policy_config else None
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROGRAM_FAILED

    try:
        capture = run_program(args.program, args.stack, preview=not deployed, config=overrides)
    except (ProgramError, ProjectError) as exc:
        err.write(format_program_failure(args.program, args.stack, str(exc)))
        return EXIT_PROGRAM_FAILED

    pack_dir = Path(args.pack)
    try:
        with launch_for(capture, pack_dir) as client:
            diagnostics = client.judge(capture, policy_config)
            info = client.info
    except AnalyzerError as exc:
        out.write(format_plan(capture, deployed) + "\n\n")
        print(f"error: the policy pack in {pack_dir} could not judge the stack: {exc}", file=err)
        return EXIT_PACK_FAILED

    version = declared_pack_version(pack_dir) or (info.version if info else "")
    label = pack_label(info.name if info else "", version, args.pack)
    out.write(format_report(capture, diagnostics, label, deployed))
    out.flush()
    return verdict(diagnostics).exit_code


if __name__ == "__main__":
    sys.exit(main())
