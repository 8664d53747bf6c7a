"""Typed config schemas of the policies and tolerant readers for them (the pack never raises on config)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "default": [],
    "description": (
        "Resources this policy does not judge: a URN or a resource name (any finding that involves it), or "
        "'<rule>:<URN or name>' to exempt it from one rule only."
    ),
}


def disabled_rules_schema(rules: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(rules)},
        "default": [],
        "uniqueItems": True,
        "description": "Rules of this policy to switch off.",
    }


def advise_rules_schema(rules: tuple[str, ...]) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "string", "enum": list(rules)},
        "default": [],
        "uniqueItems": True,
        "description": (
            "Rules of cognito-bucket-access that this policy reports, as advisories. To make one such rule "
            "advisory, list it here and in cognito-bucket-access's disabledRules."
        ),
    }


SHARED_PREFIXES_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "pattern": "^[^*?$]+/$"},
    "default": [],
    "description": (
        "Key prefixes (ending in '/', no wildcards) that every identity may READ on purpose, such as "
        "'public/'. Read-only grants under them are not reported by per-identity-scope."
    ),
}


def strings(config: Mapping[str, Any], key: str) -> tuple[str, ...]:
    """A list-of-strings config value; anything else reads as empty (the CLI validates the schema)."""
    try:
        value = config.get(key)
    except Exception:
        return ()
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v)


def flag(config: Mapping[str, Any], key: str, default: bool) -> bool:
    try:
        value = config.get(key, default)
    except Exception:
        return default
    return value if isinstance(value, bool) else default
