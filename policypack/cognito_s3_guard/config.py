"""The policies' config: schemas generated from the rule registry, and a validating reader.

A bad value is never ignored silently: :func:`read_config` returns the problems (each naming the key and
what is allowed) beside a config where every bad entry falls back to its default, which is never weaker
than what the user asked for (a misspelt level keeps the rule at its default level)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .findings import LEVELS
from .rules import BY_ID, RuleConfig, rules_of

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string", "minLength": 1},
    "default": [],
    "description": (
        "Resources this policy's rules do not judge: a URN or a resource name (any finding that involves "
        "it), or '<rule>:<URN or name>' to exempt it from one rule only."
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
ALLOW_GUESTS_SCHEMA: dict[str, Any] = {
    "type": "boolean",
    "default": False,
    "description": "Guest (unauthenticated) identities are intended; do not report them.",
}
OPTIONS: dict[str, dict[str, dict[str, Any]]] = {  # policy -> its properties beside `rules`
    "cognito-bucket-access": {"exemptions": EXEMPTIONS_SCHEMA},
    "cognito-s3-advisories": {"exemptions": EXEMPTIONS_SCHEMA, "sharedPrefixes": SHARED_PREFIXES_SCHEMA},
    "identity-pool-settings": {"exemptions": EXEMPTIONS_SCHEMA, "allowGuests": ALLOW_GUESTS_SCHEMA},
}
DROPPED = {  # keys of pack 0.1.x, refused with their replacement
    "disabledRules": (
        'dropped in pack 0.2.0: set "rules": {"<rule-id>": "disabled"} in the rule\'s own policy'
    ),
    "adviseRules": (
        'dropped in pack 0.2.0: set "rules": {"<rule-id>": "advisory"} in the rule\'s own policy '
        "(the rule then reports through cognito-s3-advisories)"
    ),
}


def rules_schema(policy: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            r.id: {"type": "string", "enum": list(LEVELS), "default": r.level, "description": r.title}
            for r in rules_of(policy)
        },
        "additionalProperties": False,
        "default": {},
        "description": (
            "A level per rule of this policy: mandatory, advisory or disabled. A rule set to the other "
            "level reports through the stack policy at that level."
        ),
    }


def has_rules_key(policy: str) -> bool:
    """Stack policies hold several rules; a one-rule resource policy's level is the policy's own."""
    return any(r.scope == "stack" for r in rules_of(policy))


def schema_properties(policy: str) -> dict[str, dict[str, Any]]:
    rules = {"rules": rules_schema(policy)} if has_rules_key(policy) else {}
    return {**rules, **OPTIONS[policy]}


@dataclass(frozen=True)
class PolicyConfig:
    levels: dict[str, str] = field(default_factory=dict)  # this policy's rule id -> level
    options: RuleConfig = field(default_factory=RuleConfig)


def _strings(key: str, value: Any, problems: list[str], pattern_check: bool = False) -> tuple[str, ...]:
    ok = isinstance(value, list) and all(isinstance(v, str) and v for v in value)
    if ok and pattern_check:
        ok = all(v.endswith("/") and not any(c in v for c in "*?$") for v in value)
    if not ok:
        what = "key prefixes ending in '/' without '*', '?' or '$'" if pattern_check else "non-empty strings"
        problems.append(f"{key!r} must be a list of {what}, got {value!r}; it is ignored")
        return ()
    return tuple(value)


def _levels(policy: str, value: Any, problems: list[str]) -> dict[str, str]:
    levels = {r.id: r.level for r in rules_of(policy)}
    if not isinstance(value, Mapping):
        problems.append(f"'rules' must be an object of rule id -> level, got {value!r}; defaults apply")
        return levels
    allowed = ", ".join(repr(r) for r in levels)
    for rule, level in value.items():
        if rule not in levels:
            home = BY_ID[rule].policy if rule in BY_ID else None
            where = f"it belongs to policy {home!r}: set it there" if home else f"allowed: {allowed}"
            problems.append(f"'rules' names {rule!r}, which is not a rule of this policy ({where})")
        elif level not in LEVELS:
            problems.append(
                f"'rules.{rule}' is {level!r}, not one of {', '.join(map(repr, LEVELS))}; it stays "
                f"{levels[rule]!r}"
            )
        else:
            levels[rule] = level
    return levels


def read_config(policy: str, raw: Any) -> tuple[PolicyConfig, list[str]]:
    """A policy's validated config and the problems found (each names the key and what is allowed)."""
    problems: list[str] = []
    raw = raw if isinstance(raw, Mapping) else {}
    known = schema_properties(policy)
    for key in raw:
        if key in DROPPED:
            problems.append(f"{key!r} is {DROPPED[key]}")
        elif key not in known and key != "enforcementLevel":
            problems.append(f"unknown key {key!r}; allowed: {', '.join(map(repr, known))}")
    levels = _levels(policy, raw.get("rules", {}), problems) if "rules" in known else {
        r.id: r.level for r in rules_of(policy)
    }  # fmt: skip
    exemptions = _strings("exemptions", raw.get("exemptions", []), problems)
    shared = ()
    if "sharedPrefixes" in known:
        shared = _strings("sharedPrefixes", raw.get("sharedPrefixes", []), problems, pattern_check=True)
    guests = raw.get("allowGuests", False)
    if not isinstance(guests, bool):
        problems.append(f"'allowGuests' must be true or false, got {guests!r}; it stays false")
        guests = False
    return PolicyConfig(levels, RuleConfig(exemptions, shared, guests)), problems
