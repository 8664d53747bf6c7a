"""A ``--policy-pack-config`` file, parsed and validated the way the Pulumi CLI does it, and stricter.

The CLI (pkg/resource/analyzer/config.go) reads the file as a JSON object (empty content is no
config; an ``environments`` array names ESC environments); each key is a policy (or ``all``) and its
value is an enforcement level or an object with an optional ``enforcementLevel`` and the policy's
properties. It then lays that over the schema defaults and the pack's initial config, and validates
each policy's properties with JSON Schema against ``{"type": "object", "properties": ..., "required":
...}`` from the pack's ``GetAnalyzerInfo``. We do the same with ``jsonschema``, and also refuse what
the CLI lets through silently: a policy the pack does not have, a key the policy's schema does not
declare, and a key given twice.

Every error is a :class:`PolicyConfigError` that names the file, the key path and what is allowed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError
from jsonschema.validators import validator_for

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"
#: Config keys that a pack dropped, and what replaced them (contract 2: cognito-s3-guard 0.2.0).
RETIRED_KEYS = {
    "disabledRules": '"rules": {"<rule-id>": "disabled"}',
    "adviseRules": '"rules": {"<rule-id>": "advisory"} in the policy that owns the rule',
}

Resolved = dict[str, tuple[str, dict[str, Any]]]  # policy -> (level, properties)


class PolicyConfigError(ValueError):
    """A policy config that cannot be used; the message names the file, the key and what is allowed."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise PolicyConfigError(f"key {key!r} is given twice (JSON would keep only the last)")
        seen[key] = value
    return seen


def read_policy_config(path: str | Path) -> dict[str, Any] | None:
    """The file's JSON object; None for an empty file, as the CLI takes it."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exn:
        raise PolicyConfigError(f"{p}: cannot be read: {getattr(exn, 'strerror', None) or exn}") from None
    if not text.strip():
        return None
    try:
        data = json.loads(text, object_pairs_hook=_unique)
    except json.JSONDecodeError as exn:
        raise PolicyConfigError(f"{p} line {exn.lineno}, column {exn.colno}: not JSON: {exn.msg}") from None
    except PolicyConfigError as exn:
        raise PolicyConfigError(f"{p}: {exn}") from None
    if not isinstance(data, dict):
        raise PolicyConfigError(
            f"{p}: a policy config is a JSON object of policy name -> level or settings, "
            f"got {_json_type(data)}"
        )
    return data


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    for kind, name in names.items():
        if type(value) is kind:
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


# --- parsing, as the CLI's parsePolicyPackConfig ------------------------------------------------------


def _level(value: Any, where: str) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise PolicyConfigError(f"{where}: enforcement level {value!r} is not one of {', '.join(LEVELS)}")
    return value


def parse_entries(data: Mapping[str, Any], file: str) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """Each policy's (level or None, properties); ``environments`` refused (no ESC offline)."""
    entries: dict[str, tuple[str | None, dict[str, Any]]] = {}
    for name, value in data.items():
        where = f"{file}: {name}"
        if name == "environments":
            raise PolicyConfigError(f"{where}: ESC environments cannot be opened offline; remove the key")
        if isinstance(value, str):
            entries[name] = (_level(value, where), {})
        elif isinstance(value, dict):
            props = dict(value)
            level = props.pop("enforcementLevel", None)
            entries[name] = (None if level is None else _level(level, f"{where}.enforcementLevel"), props)
        else:
            allowed = f"a level ({', '.join(LEVELS)}) or an object of settings"
            raise PolicyConfigError(f"{where}: {_json_type(value)} is not allowed; give {allowed}")
    return entries


# --- validation against the pack's schemas ------------------------------------------------------------


def policy_schema(properties: Mapping[str, Any], required: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The schema the CLI validates a policy's properties against (convertSchema), closed to unknown keys."""
    schema: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if properties:
        schema["properties"] = dict(properties)
    if required:
        schema["required"] = list(required)
    return schema


def _path(policy: str, error: ValidationError) -> str:
    return ".".join([policy, *(str(p) for p in error.absolute_path)])


def _describe(policy: str, error: ValidationError) -> str:
    """One schema error as ``<key path>: <what is wrong>; allowed: <what is allowed>``."""
    where, value, schema = _path(policy, error), error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(value, dict):
        known = list((schema.get("properties") or {}).keys())
        unknown = [k for k in value if k not in known]
        retired = [f"{k!r} was replaced by {RETIRED_KEYS[k]}" for k in unknown if k in RETIRED_KEYS]
        allowed = ", ".join(known) if known else "no keys"
        head = f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"
        return f"{head}; allowed: {allowed}" + (f" ({'; '.join(retired)})" if retired else "")
    if error.validator == "enum":
        return f"{where}: {value!r} is not allowed; allowed: {', '.join(map(repr, error.validator_value))}"
    if error.validator == "type":
        return f"{where}: {_json_type(value)} is not allowed; expected {error.validator_value}"
    if error.validator == "required":
        return f"{where}: {error.message}"
    return f"{where}: {error.message}"


def schema_errors(policy: str, schema: Mapping[str, Any], props: Mapping[str, Any]) -> list[str]:
    """Every way ``props`` fails ``schema``, described, in key-path order."""
    cls = validator_for(schema, default=Draft7Validator)
    errors = sorted(cls(schema).iter_errors(dict(props)), key=lambda e: [str(p) for p in e.absolute_path])
    return [_describe(policy, e) for e in errors]


# --- reconciling, as the CLI's ReconcilePolicyPackConfig -----------------------------------------------


def _policy_entry(policy: Any, initial: Mapping[str, Any] | None) -> tuple[str, dict[str, Any]]:
    """A policy's level and properties before the file: schema defaults, then the pack's initial config."""
    props = {
        key: schema["default"]
        for key, schema in (policy.config_schema or {}).items()
        if isinstance(schema, Mapping) and "default" in schema
    }
    level = policy.enforcement_level
    for key, value in (initial or {}).items():
        if key == "enforcementLevel":
            level = value
        else:
            props[key] = value
    return level, props


def resolve(
    info: Any, data: Mapping[str, Any] | None, file: str = "policy config", schemas: bool = True
) -> Resolved:
    """Every policy of ``info`` (an ``offline.analyzer.AnalyzerInfo``) with its level and properties.

    Order as the CLI's: schema defaults, the pack's initial config, ``all``, then the policy's own
    entry. Then (``schemas``) every policy's properties are validated against its schema; all errors
    are reported at once, each with its key path and what is allowed.
    """
    entries = parse_entries(data or {}, file)
    names = [policy.name for policy in info.policies]
    for name in entries:
        if name != ALL and name not in names:
            raise PolicyConfigError(
                f"{file}: no policy {name!r} in pack {info.name!r}; policies: {', '.join(map(repr, names))}"
            )
    all_level, all_props = entries.get(ALL, (None, {}))
    if all_props:
        raise PolicyConfigError(f"{file}: all: takes only a level ({', '.join(LEVELS)}), not settings")
    resolved: Resolved = {}
    errors: list[str] = []
    for policy in info.policies:
        level, props = _policy_entry(policy, info.initial_config.get(policy.name))
        own_level, own_props = entries.get(policy.name, (None, {}))
        level = own_level or all_level or level
        props.update(own_props)
        if schemas:
            errors += schema_errors(policy.name, policy_schema(policy.config_schema, policy.required), props)
        resolved[policy.name] = (_level(level, f"{file}: {policy.name}"), props)
    if errors:
        raise PolicyConfigError(f"{file}: invalid config for pack {info.name!r}:\n  " + "\n  ".join(errors))
    return resolved
