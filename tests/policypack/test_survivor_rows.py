"""Behaviours at the edges of the pack's pure functions: long patterns (S3 keys may be 1024 characters),
the shortening of values quoted in a malformed-document message, principals that look like the role
or like everyone, and a rule level read from JSON text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from cognito_s3_guard import principals
from cognito_s3_guard.documents import contains, intersects, parse_document
from cognito_s3_guard.principals import applies_to_role, names_role

ACCOUNT = "123456789012"
ARN = f"arn:aws:iam::{ACCOUNT}:role/app/auth-role"
OBJ = "arn:aws:s3:::bucket/"


@dataclass(frozen=True)
class _Role:
    physical_name: str | None = "auth-role"
    path: str = "/app/"
    arn: str | None = None

    @property
    def path_name(self) -> str | None:
        return f"{self.path.strip('/')}/{self.physical_name}".lstrip("/") if self.physical_name else None


def _stmt(principal: Any, condition: dict[str, Any] | None = None, *, key: str = "Principal"):
    raw: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", key: principal}
    if condition:
        raw["Condition"] = condition
    d = parse_document({"Statement": [raw]})
    assert d.known, d.problem
    return d.statements[0]


@pytest.mark.parametrize(
    ("p", "q", "overlap"),
    [
        (OBJ + "*" + "k" * 300, OBJ + "k" * 300 + "*", True),
        (OBJ + "?" * 300, OBJ + "k" * 300, True),
        (OBJ + "?" * 301, OBJ + "k" * 300, False),
        (OBJ + "k" * 300 + "?", OBJ + "k" * 301, True),
        (OBJ + "a?" * 150 + "x", OBJ + "ab" * 150 + "y", False),
    ],
)
def test_overlap_of_key_patterns_longer_than_256_characters(p: str, q: str, overlap: bool) -> None:
    """Whether two resource patterns can match a common key is decided by value for keys of any length
    (an S3 key may be 1024 characters), in either order."""
    assert intersects(p, q) is overlap
    assert intersects(q, p) is overlap


KEY = "arn:aws:s3:::b/"


@pytest.mark.parametrize(
    ("p", "q", "overlap"),
    [
        (KEY + "*" + "a" * 400, KEY + "b" * 400 + "*", True),  # b...b a...a matches both
        (KEY + "*" + "a" * 400, KEY + "b" * 400 + "*c", False),  # one ends in a, the other in c
        (KEY + "*?" * 200, KEY + "?*" * 200 + "x", True),
    ],
    ids=["stars-at-both-ends", "tails-disagree", "alternating-wildcards"],
)
def test_overlap_of_key_patterns_of_400_characters_with_wildcards_on_both_sides(p, q, overlap):
    """Long patterns with wildcards in both are decided, never an internal error (the comparison used to
    recurse once per character and ran out of stack near 300 characters)."""
    assert intersects(p, q) is overlap
    assert intersects(q, p) is overlap


@pytest.mark.parametrize(
    ("outer", "inner", "covered"),
    [
        (KEY + "*" + "a" * 400, KEY + "b" * 400 + "?" + "a" * 400, True),
        (KEY + "*" + "a" * 400, KEY + "b" * 400 + "*" + "a" * 399, False),  # inner may end in one fewer a
        (KEY + "*?" * 200, KEY + "x" * 400, True),
    ],
    ids=["star-covers-the-middle", "inner-star-escapes", "alternating-wildcards"],
)
def test_containment_of_key_patterns_of_400_characters(outer, inner, covered):
    """Containment of long patterns is decided by value, never an internal error."""
    assert contains(outer, inner) is covered


@pytest.mark.parametrize(("length", "whole"), [(78, True), (79, False)])
def test_a_value_quoted_in_a_malformed_document_message_is_cut_after_80_characters(length, whole):
    """The message for a malformed statement quotes the offending value whole up to 80 characters (its
    repr, quotes included) and cuts a longer one to 77 characters and "..."."""
    value = "x" * length
    d = parse_document({"Statement": [{"Effect": "Allow", "Action": "s3:*", "Principal": value}]})
    assert not d.known and d.problem is not None
    shown = d.problem.split(", got ", 1)[1]
    assert shown == (repr(value) if whole else repr(value)[:77] + "...")
    assert len(shown) <= 80


@pytest.mark.parametrize("role", [_Role(), _Role(arn=ARN)], ids=["preview", "deployed"])
def test_another_roles_arn_with_a_principal_arn_condition_naming_our_role_does_not_name_it(role):
    """A statement whose principal is another role (not ``*``) does not name our role because its
    aws:PrincipalArn condition does: the principal must match too, so the statement never applies."""
    other = f"arn:aws:iam::{ACCOUNT}:role/app/other"
    s = _stmt({"AWS": other}, {"StringEquals": {"aws:PrincipalArn": ARN}})
    assert names_role(s, role) is False


def test_every_aws_principal_applies_to_a_role_whose_name_is_not_known_yet():
    """``{"AWS": "*"}`` is everyone, like ``"*"``: it applies to the role even before its name and ARN
    are known (no-widening counts it), with no aws:PrincipalArn condition to rule the role out."""
    unnamed = _Role(physical_name=None)
    assert applies_to_role(_stmt({"AWS": "*"}), unnamed) is True
    assert applies_to_role(_stmt("*"), unnamed) is True


@pytest.mark.parametrize("provider", ["accounts.google.com", "graph.facebook.com"])
def test_a_not_principal_of_another_identity_provider_still_admits_cognito_users(provider):
    """A trust Allow of sts:AssumeRoleWithWebIdentity to everyone but Google (or Facebook) users admits
    Cognito's users: excluding another federated provider does not exclude the Cognito principal."""
    allow = {
        "Effect": "Allow",
        "Action": "sts:AssumeRoleWithWebIdentity",
        "NotPrincipal": {"Federated": provider},
    }
    assert principals.web_identity_assumable(parse_document({"Statement": [allow]})) is True


def test_a_rule_disabled_by_a_config_read_from_json_text_reports_nothing(check):
    """A level read from JSON text (a fresh string, not the literal in the pack) disables the rule."""
    from pack_builder import StackBuilder, full_pattern

    b = StackBuilder(preview=False)
    full_pattern(b, with_bucket_policy=False)
    assert check(b.capture()).rule("granting-bucket-policy") != []
    text = '{"cognito-bucket-access": {"rules": {"granting-bucket-policy": "disabled"}}}'
    v = check(b.capture(), json.loads(text))
    assert v.rule("granting-bucket-policy") == [] and v.mandatory == []
