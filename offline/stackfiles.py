"""``Pulumi.yaml`` and ``Pulumi.<stack>.yaml`` read the way the Pulumi CLI reads them.

- YAML 1.2 (ruamel.yaml's default, as the CLI's Go YAML library): ``ON``, ``yes`` and ``off`` are
  strings, a boolean is ``true``/``false``. Values reach the program as they were written.
- A stack exists only if its file does: ``--stack prd`` without ``Pulumi.prd.yaml`` is refused, naming
  the stacks that exist, as the CLI refuses a stack it does not know.
- A file that does not parse, a repeated key, or a ``config`` that is not a mapping is refused with
  the file and the line (:class:`ProjectError`).
- Every value remembers where it was set (file and line, ``-c``, or the project default), so that an
  error about a key can say where to fix it; a key in the project's namespace that the project does
  not declare gives a warning that lists the declared keys (the run goes on, as with the CLI).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class ProjectError(Exception):
    """The program directory or its project/stack files are missing or malformed."""


@dataclass(frozen=True)
class YamlDoc:
    """A parsed YAML file: ``doc`` keeps ruamel's line information (0-based) on every mapping."""

    path: Path
    doc: Any

    def where(self, mapping: Any = None, key: Any = None) -> str:
        """``Pulumi.test.yaml line 5`` for ``key`` of ``mapping`` (the document itself by default)."""
        target = self.doc if mapping is None else mapping
        line = None
        with contextlib.suppress(AttributeError, KeyError, TypeError):
            line = (target.lc.key(key) if key is not None else (target.lc.line, 0))[0] + 1
        return f"{self.path.name} line {line}" if line else self.path.name


def read_yaml(path: Path) -> YamlDoc:
    """Parse ``path`` as YAML 1.2; a parse error names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exn:
        raise ProjectError(f"{path}: cannot be read: {exn}") from None
    try:
        doc = YAML(typ="rt").load(text)
    except MarkedYAMLError as exn:
        raise ProjectError(f"{path.name}{_marked(exn)}") from None
    except YAMLError as exn:
        raise ProjectError(f"{path.name}: not valid YAML: {exn}") from None
    return YamlDoc(path, doc)


def _marked(exn: MarkedYAMLError) -> str:
    """`` line 3, column 1: not valid YAML: expected ',' or ']' (while parsing a flow sequence at line 2,
    column 6)``: where the parser gave up, and where the construct it was reading began."""
    mark, context = exn.problem_mark or exn.context_mark, exn.context_mark
    at = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    text = f"{at}: not valid YAML: {exn.problem or exn.context or 'cannot be parsed'}"
    if exn.context and exn.problem and context is not None:
        text += f" ({exn.context} at line {context.line + 1}, column {context.column + 1})"
    return text


def plain(value: Any) -> Any:
    """ruamel's round-trip types as plain Python (``CommentedMap`` -> dict, ``ScalarFloat`` -> float)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return value


def _type_name(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"


def _mapping(value: Any, what: str, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ProjectError(f"{where}: {what} must be a mapping of key: value, got {_type_name(value)}")
    return value


# ---------------------------------------------------------------------------------------------------
# Stacks
# ---------------------------------------------------------------------------------------------------

_STACK_FILE = re.compile(r"^Pulumi\.(?P<stack>[^/]+)\.ya?ml$")


def stacks_in(program_dir: Path) -> list[str]:
    """The stacks that have a ``Pulumi.<stack>.yaml`` in ``program_dir``, sorted."""
    found = {m.group("stack") for p in program_dir.iterdir() if (m := _STACK_FILE.match(p.name))}
    return sorted(found)


def stack_file(program_dir: Path, stack: str) -> Path | None:
    for suffix in ("yaml", "yml"):
        candidate = program_dir / f"Pulumi.{stack}.{suffix}"
        if candidate.is_file():
            return candidate
    return None


def require_stack(program_dir: Path, stack: str) -> Path:
    """The stack's file, or the CLI's refusal naming the stacks that exist."""
    found = stack_file(program_dir, stack)
    if found is not None:
        return found
    known = stacks_in(program_dir)
    here = f"stacks here: {', '.join(known)}" if known else f"no Pulumi.<stack>.yaml in {program_dir}"
    raise ProjectError(f"no stack named '{stack}' found; {here}")


# ---------------------------------------------------------------------------------------------------
# Config, with where each value came from
# ---------------------------------------------------------------------------------------------------


@dataclass
class StackConfig:
    """The config a program gets: values (YAML values or override text), their sources, warnings."""

    project: str
    project_file: YamlDoc
    declared: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # ns:key -> decl
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # ns:key -> "Pulumi.test.yaml line 5"
    warnings: list[str] = field(default_factory=list)


def qualify(key: str, project: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def read_project(program_dir: Path) -> StackConfig:
    """``Pulumi.yaml``: the project name and its config declarations with their defaults."""
    path = program_dir / "Pulumi.yaml"
    if not path.is_file():
        raise ProjectError(f"{path} not found: not a Pulumi project directory")
    file = read_yaml(path)
    doc = _mapping(file.doc, "the project file", file.where())
    project = doc.get("name")
    if not isinstance(project, str) or not project:
        raise ProjectError(f"{file.where()}: 'name' is missing; a project has a name")
    result = StackConfig(project=project, project_file=file)
    block = _mapping(doc.get("config"), "'config'", file.where(doc, "config") if "config" in doc else "")
    for key, decl in block.items():
        qualified = qualify(str(key), project)
        result.sources[qualified] = f"{file.where(block, key)} (project default)"
        if isinstance(decl, Mapping):
            result.declared[qualified] = (str(key), plain(decl))
            for field_name in ("value", "default"):
                if field_name in decl:
                    result.values[qualified] = plain(decl[field_name])
                    break
        else:
            result.values[qualified] = plain(decl)
    return result


def apply_stack_file(config: StackConfig, path: Path) -> None:
    """Lay ``Pulumi.<stack>.yaml``'s values over the project defaults."""
    file = read_yaml(path)
    doc = _mapping(file.doc, "the stack file", file.where())
    block = _mapping(doc.get("config"), "'config'", file.where(doc, "config") if "config" in doc else "")
    for key, value in block.items():
        where = file.where(block, key)
        if isinstance(value, Mapping) and "secure" in value:
            raise ProjectError(
                f"{where}: {key} is an encrypted secret; offline runs cannot decrypt it,"
                " pass a plain value with -c instead"
            )
        qualified = qualify(str(key), config.project)
        config.values[qualified] = plain(value)
        config.sources[qualified] = where


def apply_overrides(config: StackConfig, overrides: Mapping[str, str]) -> None:
    for key, value in overrides.items():
        qualified = qualify(key, config.project)
        config.values[qualified] = value
        config.sources[qualified] = f"-c {key}"


def undeclared_warnings(config: StackConfig) -> list[str]:
    """A warning per value in the project's namespace that ``Pulumi.yaml`` does not declare."""
    ns = f"{config.project}:"
    declared = sorted(key for qualified, (key, _) in config.declared.items() if qualified.startswith(ns))
    if not declared:
        return []  # a project that declares nothing takes any key, as the CLI does
    return [
        f"{config.sources.get(qualified, qualified)}: '{qualified}' is not declared in Pulumi.yaml, so the "
        f"program will not read it; declared keys: {', '.join(declared)}"
        for qualified in sorted(config.values)
        if qualified.startswith(ns) and qualified not in config.declared
    ]


def config_value_to_wire(value: Any) -> str:
    """Render a YAML config value as the string the CLI hands a program."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    if value is None:
        return ""
    return str(value)
