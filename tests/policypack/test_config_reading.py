"""Reading a policy's config (in-process): a valid value is applied, a bad one is reported and falls back
to its default (never weaker than asked), and each policy's schema offers exactly its own options.
Through the protocol (test_protocol.py) the same problems block or advise at the policy's level."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.config import PolicyConfig, read_config, schema_properties
from cognito_s3_guard.findings import LEVELS
from cognito_s3_guard.rules import RuleConfig, rules_of

ACCESS, ADVISORIES, POOLS = "cognito-bucket-access", "cognito-s3-advisories", "identity-pool-settings"


def defaults(policy: str) -> dict[str, str]:
    return {r.id: r.level for r in rules_of(policy)}


# (policy, raw config, the levels it gives, the options it gives, how many problems it reports)
ROWS: list[tuple[str, Any, dict[str, str], RuleConfig, int]] = [
    (ACCESS, {}, {}, RuleConfig(), 0),
    (ACCESS, {"enforcementLevel": "advisory"}, {}, RuleConfig(), 0),
    (ACCESS, {"rules": {"no-widening": "advisory", "cognito-role-trust": "disabled"}},
     {"no-widening": "advisory", "cognito-role-trust": "disabled"}, RuleConfig(), 0),
    (ACCESS, {"rules": {"no-widening": "Advisory"}}, {}, RuleConfig(), 1),
    (ACCESS, {"rules": {"no-such-rule": "advisory", "no-widening": "disabled"}},
     {"no-widening": "disabled"}, RuleConfig(), 1),
    (ACCESS, {"rules": {"bucket-hardening": "mandatory"}}, {}, RuleConfig(), 1),
    (ACCESS, {"rules": ["no-widening"]}, {}, RuleConfig(), 1),
    (ACCESS, {"exemptions": ["files", "no-widening:auth-role"]}, {},
     RuleConfig(exemptions=("files", "no-widening:auth-role")), 0),
    (ACCESS, {"exemptions": "files"}, {}, RuleConfig(), 1),
    (ACCESS, {"exemptions": ["files", ""]}, {}, RuleConfig(), 1),
    (ACCESS, {"exemptions": ["files", 7]}, {}, RuleConfig(), 1),
    (ACCESS, {"sharedPrefixes": ["public/"]}, {}, RuleConfig(), 1),
    (ACCESS, {"disabledRules": ["no-widening"], "adviseRules": []}, {}, RuleConfig(), 2),
    (ACCESS, {"exemption": ["files"]}, {}, RuleConfig(), 1),
    (ADVISORIES, {"sharedPrefixes": ["public/", "team/docs/"]}, {},
     RuleConfig(shared_prefixes=("public/", "team/docs/")), 0),
    (ADVISORIES, {"sharedPrefixes": ["public"]}, {}, RuleConfig(), 1),
    (ADVISORIES, {"sharedPrefixes": ["public/", "users/*/"]}, {}, RuleConfig(), 1),
    (ADVISORIES, {"sharedPrefixes": ["pub?ic/"]}, {}, RuleConfig(), 1),
    (ADVISORIES, {"sharedPrefixes": ["users/${aws:username}/"]}, {}, RuleConfig(), 1),
    (ADVISORIES, {"sharedPrefixes": "public/"}, {}, RuleConfig(), 1),
    (ADVISORIES, {"rules": {"bucket-hardening": "mandatory", "unverified-at-preview": "disabled"}},
     {"bucket-hardening": "mandatory", "unverified-at-preview": "disabled"}, RuleConfig(), 0),
    (POOLS, {"allowGuests": True}, {}, RuleConfig(allow_guests=True), 0),
    (POOLS, {"allowGuests": "true"}, {}, RuleConfig(), 1),
    (POOLS, {"allowGuests": 1}, {}, RuleConfig(), 1),
    (POOLS, {"rules": {"identity-pool-settings": "disabled"}}, {}, RuleConfig(), 1),
    (POOLS, {"exemptions": ["pool"], "allowGuests": False}, {}, RuleConfig(exemptions=("pool",)), 0),
]  # fmt: skip
IDS = [
    "empty", "enforcement-level", "levels", "misspelt-level", "unknown-rule", "rule-of-another-policy",
    "rules-not-an-object", "exemptions", "exemptions-not-a-list", "empty-exemption", "exemption-not-a-string",
    "shared-prefixes-elsewhere", "dropped-keys", "unknown-key", "shared-prefixes", "prefix-without-slash",
    "prefix-with-star", "prefix-with-question-mark", "prefix-with-variable", "prefixes-not-a-list",
    "advisory-levels", "allow-guests", "allow-guests-string", "allow-guests-number", "pool-rules-key",
    "pool-options",
]  # fmt: skip


@pytest.mark.parametrize(("policy", "raw", "levels", "options", "problems"), ROWS, ids=IDS)
def test_a_config_is_applied_or_reported_and_a_bad_value_keeps_its_default(policy, raw, levels, options,
                                                                          problems):  # fmt: skip
    config, found = read_config(policy, raw)
    assert config == PolicyConfig({**defaults(policy), **levels}, options)
    assert len(found) == problems, found


def test_each_policy_offers_exactly_its_own_options():
    assert {p: set(schema_properties(p)) for p in (ACCESS, ADVISORIES, POOLS)} == {
        ACCESS: {"rules", "exemptions"},
        ADVISORIES: {"rules", "exemptions", "sharedPrefixes"},
        POOLS: {"exemptions", "allowGuests"},
    }


@pytest.mark.parametrize("policy", [ACCESS, ADVISORIES])
def test_a_stack_policys_rules_schema_allows_each_of_its_rules_at_any_level_defaulting_to_its_own(policy):
    schema = schema_properties(policy)["rules"]
    assert schema["additionalProperties"] is False and schema["default"] == {}
    assert {k: (v["enum"], v["default"]) for k, v in schema["properties"].items()} == {
        rule: (list(LEVELS), level) for rule, level in defaults(policy).items()
    }



def test_the_option_schemas_refuse_what_read_config_refuses():
    """The SDK validates a config against the schema before the pack reads it: the schema says what the
    reader enforces (non-empty exemption strings, prefixes ending in '/' without wildcards, a boolean)."""
    for policy in (ACCESS, ADVISORIES, POOLS):
        exemptions = schema_properties(policy)["exemptions"]
        assert (exemptions["type"], exemptions["items"], exemptions["default"]) == (
            "array", {"type": "string", "minLength": 1}, [])
    prefixes = schema_properties(ADVISORIES)["sharedPrefixes"]
    assert (prefixes["type"], prefixes["items"], prefixes["default"]) == (
        "array", {"type": "string", "pattern": "^[^*?$]+/$"}, [])
    guests = schema_properties(POOLS)["allowGuests"]
    assert (guests["type"], guests["default"]) == ("boolean", False)
