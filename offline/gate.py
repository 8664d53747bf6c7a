"""Offline preview gate: ``pulumi preview --policy-pack`` without the CLI and without a cloud account.

``python -m offline.gate --stack test [--deployed] [--program DIR] [--pack DIR]``

1. Runs the program for the stack under Pulumi mocks (``offline.mockrun``): a first preview by
   default (provider-computed values unknown, names known), or ``--deployed`` (every value known).
2. Prints the resources it would create as ``pulumi preview`` does: a tree, parents nested.
3. Sends them through the policy pack over the real analyzer protocol (``offline.analyzer``):
   ``Analyze`` per resource, then ``AnalyzeStack``.
4. Prints each diagnostic (level, policy, resource, message), the outputs and the counts, and exits
   non-zero on a MANDATORY violation.

Exit codes (also in ``--help``): 0 judged, no mandatory violation; 1 judged, a mandatory violation
(only this); 2 bad input to the program (unknown stack, malformed files, a bad config value, a program
that fails, exits or times out); 3 the pack cannot be run (missing, invalid policy config, crash or
timeout). ``--json`` prints one JSON document instead of the report (``offline.findings``).

Formatting is pure functions over ``StackCapture`` and ``Diagnostic``; ``main`` is the thin edge.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import traceback
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


def describe_program_error(exc: Any, sources: Mapping[str, str]) -> str:
    """A ``ProgramError`` as the user needs it: the exception's type and message (or the exit status, or
    the timeout), the program's own ``file:line``, and where each config key it names was set."""
    message = str(exc).strip()
    if exc.status is not None or exc.kind == "timeout":
        lines = [message]
    else:
        lines = [f"{exc.kind}: {message}" if message != exc.kind else exc.kind]
    if exc.location:
        lines.append(f"at {exc.location}")
    for key in sorted(sources):
        if re.search(rf"(?<![\w:-]){re.escape(key)}(?![\w-])", message):
            lines.append(f"{key} is set in {sources[key]}")
    return "\n".join(lines)


def without_tracebacks(text: str) -> str:
    """``text`` (a pack's stderr, say) with each Python traceback cut to its last frame and its error:
    ``at /pack/__main__.py, line 1: ModuleNotFoundError: No module named 'x'`` (``--debug`` keeps all)."""
    lines, out, i = text.splitlines(), [], 0
    while i < len(lines):
        if lines[i].startswith("Traceback (most recent call last):"):
            i += 1
            frame = ""
            while i < len(lines) and lines[i].startswith(" "):
                if lines[i].lstrip().startswith('File "'):
                    frame = lines[i].strip().removeprefix("File ").split(", in ")[0]
                i += 1
            error = lines[i] if i < len(lines) else ""
            out.append(f"{error} (at {frame}; --debug shows the traceback)" if frame else error)
            i += 1
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


# --- command line (thin) -------------------------------------------------------------------------

EXIT_CODES = """exit codes:
  0  the stack was judged and no mandatory policy was violated
  1  the stack was judged and a mandatory policy was violated (nothing else exits 1)
  2  bad input to the program: unknown stack, malformed or wrongly shaped Pulumi.yaml or stack file,
     a bad config value, a program that fails, exits early or runs past --timeout
  3  the policy pack cannot be run: missing pack, invalid --policy-config, a pack that crashes or
     runs past --timeout
"""


class GateFailure(Exception):
    """A run that ends before a verdict: its exit code and what to tell the user."""

    def __init__(self, code: int, message: str, *, after_plan: bool = False) -> None:
        super().__init__(message)
        self.code = code
        self.after_plan = after_plan  # the text report shows the plan first (the pack failed, not the input)


def parse_config_overrides(pairs: Iterable[str]) -> dict[str, str]:
    """``-c key=value`` pairs, as ``pulumi preview -c`` takes them."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"-c {pair!r}: expected key=value")
        overrides[key] = value
    return overrides


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m offline.gate",
        description="Offline `pulumi preview --policy-pack`: run a Pulumi Python program under mocks and "
        "judge it with a policy pack over the real analyzer protocol.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--stack", default="test", help="stack name; config from Pulumi.<stack>.yaml, which must exist")
    add("--program", default=".", help="the Pulumi program directory (default: .)")
    add("--pack", default="policypack", help="the policy pack directory (default: policypack)")
    add("--deployed", action="store_true", help="judge the deployed shape (every value known)")
    add("-c", "--config", action="append", default=[], metavar="KEY=VALUE", help="override a config value")
    add("--policy-config", metavar="FILE", help="policy pack config JSON, as for --policy-pack-config")
    add("--json", action="store_true", help="print one JSON document (verdict, findings, resources)")
    add("--timeout", type=_positive_seconds, default=300.0, metavar="SECONDS",
        help="stop a program or a pack that runs longer (default: 300)")  # fmt: skip
    add("--debug", action="store_true", help="show tracebacks of failures")
    return parser


def _prepare(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, Any] | None]:
    """Everything checked before the program runs: -c pairs, the project, the stack, the policy config."""
    from offline.policyconfig import PolicyConfigError, read_policy_config
    from offline.stackfiles import ProjectError, read_project, require_stack

    try:
        overrides = parse_config_overrides(args.config)
        program_dir = Path(args.program)
        if not (program_dir / "__main__.py").is_file():
            raise ProjectError(f"{program_dir / '__main__.py'} not found: not a Pulumi Python program")
        read_project(program_dir)
        require_stack(program_dir, args.stack)
    except (ValueError, ProjectError) as exc:
        raise GateFailure(EXIT_PROGRAM_FAILED, f"error: {exc}") from exc
    try:
        policy_config = read_policy_config(args.policy_config) if args.policy_config else None
    except PolicyConfigError as exc:
        raise GateFailure(EXIT_PACK_FAILED, f"error: invalid policy config: {exc}") from exc
    return overrides, policy_config


def _run_program(args: argparse.Namespace, overrides: Mapping[str, str], err: TextIO) -> StackCapture:
    from offline.mockrun import ProgramError, ProjectError, run_program

    try:
        capture = run_program(
            args.program, args.stack, preview=not args.deployed, config=overrides, timeout=args.timeout
        )
    except ProjectError as exc:
        message = format_program_failure(args.program, args.stack, str(exc))
        raise GateFailure(EXIT_PROGRAM_FAILED, message) from None
    except ProgramError as exc:
        if args.debug:
            traceback.print_exception(exc.cause, file=err)
        text = describe_program_error(exc, exc.capture.sources)
        for warning in exc.capture.warnings:
            print(f"warning: {warning}", file=err)
        message = format_program_failure(args.program, args.stack, text)
        raise GateFailure(EXIT_PROGRAM_FAILED, message) from None
    for warning in capture.warnings:
        print(f"warning: {warning}", file=err)
    return capture


def _judge(
    args: argparse.Namespace, capture: StackCapture, policy_config: Mapping[str, Any] | None
) -> tuple[list[Diagnostic], Any]:
    from offline.analyzer import AnalyzerError, PolicyConfigError, launch_for

    pack_dir = Path(args.pack)
    try:
        with launch_for(capture, pack_dir, startup_timeout=args.timeout) as client:
            client.timeout = args.timeout
            file = args.policy_config or "policy config"
            diagnostics = client.judge(capture, policy_config, file=file, schemas=True)
            return diagnostics, client.info
    except PolicyConfigError as exc:
        raise GateFailure(EXIT_PACK_FAILED, f"error: invalid policy config: {exc}") from exc
    except AnalyzerError as exc:
        said = str(exc) if args.debug else without_tracebacks(str(exc))
        message = f"error: the policy pack in {pack_dir} could not judge the stack: {said}"
        raise GateFailure(EXIT_PACK_FAILED, message, after_plan=True) from exc


def _emit(
    args: argparse.Namespace, capture: StackCapture, diagnostics: list[Diagnostic], info: Any, out: TextIO
) -> None:
    from offline.findings import PolicyText, report

    version = declared_pack_version(Path(args.pack)) or (info.version if info else "")
    name = info.name if info else ""
    if args.json:
        policies = {
            p.name: PolicyText(p.description, p.remediation_steps) for p in (info.policies if info else ())
        }
        pack = {"name": name, "version": version, "dir": args.pack}
        document = report(capture, sort_diagnostics(diagnostics), policies, pack)
        out.write(json.dumps(document, indent=2) + "\n")
    else:
        out.write(format_report(capture, diagnostics, pack_label(name, version, args.pack), args.deployed))
    out.flush()


def _gate(args: argparse.Namespace, out: TextIO, err: TextIO, phase: list[int]) -> int:
    overrides, policy_config = _prepare(args)
    capture = _run_program(args, overrides, err)
    phase[0] = EXIT_PACK_FAILED
    try:
        diagnostics, info = _judge(args, capture, policy_config)
    except GateFailure as exc:
        if exc.after_plan and not args.json:  # what was planned, then why it was not judged
            out.write(format_plan(capture, args.deployed) + "\n\n")
        raise
    _emit(args, capture, diagnostics, info, out)
    return verdict(diagnostics).exit_code


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """The gate; see ``--help`` for the exit codes. Nothing but the report (or ``--json``'s one document)
    goes to ``out``; errors and warnings go to ``err``, without a traceback unless ``--debug``."""
    out, err = out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    phase = [EXIT_PROGRAM_FAILED]  # what an unexpected error counts as: before judging, the program's
    try:
        return _gate(args, out, err, phase)
    except GateFailure as exc:
        err.write(str(exc).rstrip("\n") + "\n")
        return exc.code
    except KeyboardInterrupt:
        print("error: interrupted", file=err)
        return 130
    except Exception as exc:  # a failure nobody foresaw: still no traceback unless asked for
        if args.debug:
            traceback.print_exc(file=err)
        print(f"error: the gate failed: {type(exc).__name__}: {exc} (--debug shows where)", file=err)
        return phase[0]


def exit_now(code: int) -> None:
    """Leave without the interpreter's shutdown: a program thread stopped by --timeout is abandoned, and
    event loops the Pulumi SDK left behind cannot print "Exception ignored" tracebacks while the
    interpreter tears down."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (`| head`): nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
