"""Principal and aws:PrincipalArn matching (principals.py) and the condition-operator table
(conditions.py). Pure: statements in, facts out, for a role in the first-preview shape (ARN unknown,
name known) and in the deployed shape (ARN known)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from cognito_s3_guard import conditions, principals
from cognito_s3_guard.conditions import OPERATORS, operator
from cognito_s3_guard.documents import Document, parse_document
from cognito_s3_guard.principals import RoleLookup, applies_to_role, names_role, role_name_from_arn

ACCOUNT = "123456789012"
ARN = f"arn:aws:iam::{ACCOUNT}:role/app/auth-role"
COGNITO = "cognito-identity.amazonaws.com"


@dataclass(frozen=True)
class R:
    physical_name: str | None = "auth-role"
    path: str = "/app/"
    arn: str | None = None

    @property
    def path_name(self) -> str | None:
        return f"{self.path.strip('/')}/{self.physical_name}".lstrip("/") if self.physical_name else None


PREVIEW, DEPLOYED = R(), R(arn=ARN)


def stmt(principal: Any = None, condition: dict[str, Any] | None = None, *, not_principal: Any = None):
    raw: dict[str, Any] = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    if principal is not None:
        raw["Principal"] = principal
    if not_principal is not None:
        raw["NotPrincipal"] = not_principal
    if condition:
        raw["Condition"] = condition
    d = parse_document({"Statement": [raw]})
    assert d.known, d.problem
    return d.statements[0]


def pa(op: str, value: str) -> dict[str, Any]:
    return {op: {"aws:PrincipalArn": value}}


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (ARN, (ACCOUNT, "app/auth-role")),
        ("arn:aws-cn:iam::123456789012:role/r", (ACCOUNT, "r")),
        ("arn:aws:iam::*:role/r", ("*", "r")),
        ("arn:aws:iam::123456789012:user/bob", None),
        ("arn:aws:iam::12345:role/r", None),
    ],
)
def test_role_name_from_arn(arn, expected):
    assert role_name_from_arn(arn) == expected


# (statement, names the role at preview, names it deployed)
NAMES_ROLE = [
    ("role-arn", stmt({"AWS": ARN}), True, True),
    ("role-arn-other-account", stmt({"AWS": "arn:aws:iam::999999999999:role/app/auth-role"}), True, False),
    ("role-arn-without-path", stmt({"AWS": f"arn:aws:iam::{ACCOUNT}:role/auth-role"}), False, False),
    ("other-role", stmt({"AWS": f"arn:aws:iam::{ACCOUNT}:role/app/other"}), False, False),
    (
        "role-arn-but-principal-arn-for-someone-else",
        stmt({"AWS": ARN}, pa("StringEquals", f"arn:aws:iam::{ACCOUNT}:role/app/other")),
        False,
        False,
    ),
    ("star-alone", stmt("*"), False, False),
    ("star-string-equals", stmt("*", pa("StringEquals", ARN)), True, True),
    (
        "star-string-equals-ignore-case",
        stmt("*", pa("StringEqualsIgnoreCase", f"arn:aws:iam::{ACCOUNT}:role/App/Auth-Role")),
        True,
        True,
    ),
    (
        "star-string-equals-with-a-wildcard-is-literal",
        stmt("*", pa("StringEquals", f"arn:aws:iam::{ACCOUNT}:role/app/*")),
        False,
        False,
    ),
    (
        "star-string-equals-with-any-account-is-literal",
        stmt("*", pa("StringEquals", "arn:aws:iam::*:role/app/auth-role")),
        False,
        False,
    ),
    ("star-arn-like", stmt({"AWS": "*"}, pa("ArnLike", "arn:aws:iam::*:role/app/auth-*")), True, True),
    (
        "star-arn-equals-expands-wildcards",
        stmt("*", pa("ArnEquals", "arn:aws:iam::*:role/app/auth-role")),
        True,
        True,
    ),
    ("star-for-any-value-string-like", stmt("*", pa("ForAnyValue:StringLike", "*/auth-role")), True, True),
    ("star-if-exists-is-not-counted", stmt("*", pa("StringEqualsIfExists", ARN)), False, False),
    ("star-negated-is-not-counted", stmt("*", pa("StringNotEquals", "arn:aws:iam::1:role/x")), False, False),
    ("federated", stmt({"Federated": "cognito-identity.amazonaws.com"}), False, False),
    ("no-principal", stmt(), False, False),
    # Only "*" is everyone: another principal with the role's aws:PrincipalArn is someone else (values
    # that sort before "*", such as an empty config value, included)
    ("empty-principal-with-principal-arn-of-the-role", stmt({"AWS": ""}, pa("ArnEquals", ARN)), False, False),
    ("odd-principal-with-principal-arn-of-the-role", stmt({"AWS": "!x"}, pa("ArnLike", ARN)), False, False),
]


@pytest.mark.parametrize(
    ("s", "preview", "deployed"), [c[1:] for c in NAMES_ROLE], ids=[c[0] for c in NAMES_ROLE]
)
def test_names_role(s, preview, deployed):
    assert (names_role(s, PREVIEW), names_role(s, DEPLOYED)) == (preview, deployed)


APPLIES = [
    ("star", stmt("*"), True, True),
    (
        "star-principal-arn-for-someone-else",
        stmt("*", pa("ArnLike", "arn:aws:iam::*:role/other")),
        False,
        False,
    ),
    ("account-id", stmt({"AWS": ACCOUNT}), True, True),
    ("account-root", stmt({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}), True, True),
    ("another-account", stmt({"AWS": "999999999999"}), True, False),  # the account is not known at preview
    (
        "session",
        stmt({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/auth-role/CognitoIdentityCredentials"}),
        True,
        True,
    ),
    ("session-of-another-role", stmt({"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/other/s"}), False, False),
    (
        "session-in-another-account",  # the account is not known at preview
        stmt({"AWS": "arn:aws:sts::999999999999:assumed-role/auth-role/CognitoIdentityCredentials"}),
        True,
        False,
    ),
    ("session-in-any-account", stmt({"AWS": "arn:aws:sts::*:assumed-role/auth-role/s"}), True, True),
    ("aws-star", stmt({"AWS": "*"}), True, True),
    ("wildcard-role-arn", stmt({"AWS": "arn:aws:iam::*:role/app/*"}), True, True),
    ("wildcard-role-arn-one-character", stmt({"AWS": "arn:aws:iam::*:role/app/auth-rol?"}), True, True),
    ("wildcard-arn-of-other-roles", stmt({"AWS": "arn:aws:iam::*:role/other*"}), False, False),
    ("another-role-arn", stmt({"AWS": f"arn:aws:iam::{ACCOUNT}:role/app/other"}), False, False),
    ("canonical-user", stmt({"CanonicalUser": "abc"}), True, True),
    ("service", stmt({"Service": "logging.s3.amazonaws.com"}), False, False),
    (
        "not-principal-without-the-role",
        stmt(not_principal={"AWS": f"arn:aws:iam::{ACCOUNT}:role/other"}),
        True,
        True,
    ),
    ("not-principal-with-the-role", stmt(not_principal={"AWS": ARN}), False, False),
    (
        "not-principal-with-the-roles-session",
        stmt(not_principal={"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/auth-role/Cognito"}),
        False,
        False,
    ),
    # an account in NotPrincipal spares the account's root, not the roles in it
    ("not-principal-with-the-account", stmt(not_principal={"AWS": ACCOUNT}), True, True),
    ("not-principal-with-a-service", stmt(not_principal={"Service": "logging.s3.amazonaws.com"}), True, True),
    # a canonical user id stands for an account, as the account does: it spares no role
    ("not-principal-with-a-canonical-user", stmt(not_principal={"CanonicalUser": "abc"}), True, True),
    ("not-principal-with-cognito", stmt(not_principal={"Federated": COGNITO}), True, True),
    (
        "on-behalf-of-a-service",
        stmt("*", {"StringEquals": {"aws:SourceArn": "arn:aws:s3:::logs"}}),
        False,
        False,
    ),
    (
        "for-all-values-service-key-holds-without-it",
        stmt("*", {"ForAllValues:StringEquals": {"aws:SourceAccount": ACCOUNT}}),
        True,
        True,
    ),
    (
        "if-exists-service-key-holds-without-it",
        stmt("*", {"ArnLikeIfExists": {"aws:SourceArn": "x"}}),
        True,
        True,
    ),
    ("no-principal", stmt(), False, False),  # S3 refuses such a bucket policy: it grants no one
]


@pytest.mark.parametrize(("s", "preview", "deployed"), [c[1:] for c in APPLIES], ids=[c[0] for c in APPLIES])
def test_applies_to_role(s, preview, deployed):
    assert (applies_to_role(s, PREVIEW), applies_to_role(s, DEPLOYED)) == (preview, deployed)


def test_role_lookup_finds_the_roles_a_document_names():
    a, b, c = R("a", "/", f"arn:aws:iam::{ACCOUNT}:role/a"), R("b", "/team/"), R("c", "/")
    lookup = RoleLookup([a, b, c])
    d = parse_document(
        {
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/a"},
                    "Action": "s3:*",
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/team/b"},
                    "Action": "s3:*",
                    "Resource": "*",
                },
                {
                    "Effect": "Deny",
                    "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/c"},
                    "Action": "s3:*",
                    "Resource": "*",
                },
            ]
        }
    )
    assert lookup.named_in([d, Document("unknown")]) == [a, b]
    session = parse_document(
        {
            "Statement": {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Principal": {"AWS": f"arn:aws:sts::{ACCOUNT}:assumed-role/c/s"},
            }
        }
    )
    assert lookup.named_in([session]) == [c]
    star = parse_document(
        {
            "Statement": {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Principal": "*",
                "Condition": pa("ArnLike", "arn:aws:iam::*:role/team/?"),
            }
        }
    )
    assert lookup.named_in([star]) == [b]


@pytest.mark.parametrize("state", ["unknown", "malformed", "absent"])
def test_a_document_that_cannot_be_read_does_not_hide_the_roles_the_next_documents_name(state):
    """A bucket may have several policy documents (a BucketPolicy and the Bucket's legacy inline policy).
    One that is not known yet, malformed or absent names no role, and the roles that the documents after
    it name are still found, in both shapes."""
    for arn in (None, f"arn:aws:iam::{ACCOUNT}:role/a"):
        a = R("a", "/", arn)
        grant = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/a"}, "Action": "s3:*"}
        d = parse_document({"Statement": {**grant, "Resource": "*"}})
        assert RoleLookup([a]).named_in([Document(state), d]) == [a]


@pytest.mark.parametrize("deployed", [False, True], ids=["preview", "deployed"])
@pytest.mark.parametrize(
    ("op", "value", "named"),
    [
        ("ArnEquals", f"arn:aws:iam::{ACCOUNT}:role/team/b", ["b"]),
        ("StringEquals", f"arn:aws:iam::{ACCOUNT}:role/team/b", ["b"]),
        ("StringEqualsIgnoreCase", f"arn:aws:iam::{ACCOUNT}:role/TEAM/B", ["b"]),  # every role is asked
        ("StringLike", f"arn:aws:iam::{ACCOUNT}:role/?", ["a", "c"]),  # a wildcard: every role is asked
        ("ArnLike", "arn:aws:iam::*:role/team/*", ["b"]),
        ("StringNotEquals", f"arn:aws:iam::{ACCOUNT}:role/team/b", []),  # a negated condition names no one
        ("StringEqualsIfExists", f"arn:aws:iam::{ACCOUNT}:role/team/b", []),
    ],
)
@pytest.mark.parametrize("everyone", ["*", {"AWS": "*"}], ids=["star", "aws-star"])
def test_role_lookup_finds_the_roles_a_principal_arn_condition_names(op, value, named, deployed, everyone):
    """A ``*`` bucket statement granting through aws:PrincipalArn names the roles its condition matches, in
    both shapes, so that no-widening judges its grant to a role that reaches nothing there."""
    paths = {"a": "/", "b": "/team/", "c": "/"}
    arn = {n: f"arn:aws:iam::{ACCOUNT}:role{p}{n}" if deployed else None for n, p in paths.items()}
    lookup = RoleLookup([R(n, p, arn[n]) for n, p in paths.items()])
    grant = {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": everyone}
    d = parse_document({"Statement": {**grant, "Condition": pa(op, value)}})
    assert sorted(r.physical_name for r in lookup.named_in([d])) == named


def test_a_principal_arn_pattern_for_another_path_does_not_name_a_role_whose_arn_is_unknown():
    """At a first preview the role's ARN is not known, but its shape is: ``arn:aws[a-z-]*:iam::<12
    digits>:role/<path/name>``. (Approximated as ``arn:*:iam::*:role/<path/name>``, ``*`` spanned ``:``
    and ``/``, so ``arn:aws:iam::*:role/team/*`` "may match" role ``c`` at path ``/``, and a first preview
    was blocked by no-widening for an unrelated role.)"""
    s = stmt("*", pa("ArnLike", "arn:aws:iam::*:role/team/*"))
    assert not names_role(s, R("c", "/")) and not names_role(s, R("c", "/", f"arn:aws:iam::{ACCOUNT}:role/c"))



@pytest.mark.parametrize(
    "condition",
    [
        pa("ArnLike", "arn:aws:iam::*:role/*"),
        pa("StringLike", "*"),
        pa("ArnEquals", "arn:aws:iam::*:role/a*"),
    ],
)
def test_a_role_whose_name_is_not_known_yet_is_not_named_by_a_pattern_but_is_not_excluded(condition):
    """A role whose name is computed has neither ARN nor name at a first preview. A ``*`` statement with a
    wildcard aws:PrincipalArn condition cannot be shown to name it (no grant is credited to it), nor to
    rule it out: the statement may apply to it (counted for no-widening)."""
    unnamed = R(physical_name=None)
    s = stmt("*", condition)
    assert (names_role(s, unnamed), applies_to_role(s, unnamed)) == (False, True)


# --- the condition-operator table ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "quantifier", "if_exists", "negated", "wildcards", "ignore_case"),
    [
        ("StringEquals", "StringEquals", "", False, False, False, False),
        ("StringLike", "StringLike", "", False, False, True, False),
        ("StringEqualsIgnoreCase", "StringEqualsIgnoreCase", "", False, False, False, True),
        ("StringNotLikeIfExists", "StringNotLike", "", True, True, True, False),
        ("ForAnyValue:StringLike", "StringLike", "ForAnyValue", False, False, True, False),
        ("ForAllValues:StringEquals", "StringEquals", "ForAllValues", False, False, False, False),
        ("ForAllValues:ArnNotLikeIfExists", "ArnNotLike", "ForAllValues", True, True, True, False),
        ("ArnEquals", "ArnEquals", "", False, False, True, False),
        ("NotIpAddress", "NotIpAddress", "", False, True, False, False),
        ("BoolIfExists", "Bool", "", True, False, False, False),
        ("Null", "Null", "", False, False, False, False),
    ],
)
def test_operator_parts(text, name, quantifier, if_exists, negated, wildcards, ignore_case):
    op = operator(text)
    assert (op.name, op.quantifier, op.if_exists, op.negated, op.base.wildcards, op.base.ignore_case) == (
        name,
        quantifier,
        if_exists,
        negated,
        wildcards,
        ignore_case,
    )
    assert op.known and op.positive != negated


@pytest.mark.parametrize("text", ["StringSortOf", "x", "", "IfExists", "ForAnyValue:", "Foo:Bar"])
def test_unknown_operators_are_neither_positive_nor_negated(text):
    op = operator(text)
    assert (
        not op.known and not op.positive and not op.negated and not op.matches_strings and not op.requires_key
    )


def test_string_matching_operators_are_exactly_the_positive_string_and_arn_ones():
    """What aws:PrincipalArn and the service-only keys are read with (whatever the set quantifier)."""
    matching = {n for n in OPERATORS if operator(n).matches_strings}
    assert matching == {"StringEquals", "StringLike", "StringEqualsIgnoreCase", "ArnEquals", "ArnLike"}
    assert operator("ForAnyValue:ArnLike").matches_strings and not operator("ArnLikeIfExists").matches_strings


@pytest.mark.parametrize(
    ("text", "true_when_missing"),
    [
        ("StringEquals", False),
        ("StringEqualsIfExists", True),
        ("ForAllValues:StringLike", True),
        ("ForAnyValue:StringLike", False),
        ("StringNotEquals", True),
        ("Bool", False),
    ],
)
def test_which_operators_hold_when_the_request_lacks_the_key(text, true_when_missing):
    op = operator(text)
    assert op.true_when_missing == true_when_missing and op.requires_key == (not true_when_missing)


def test_positive_names_of_a_family():
    assert conditions.literal_names(family="String") == (
        "StringEquals",
        "StringEqualsIgnoreCase",
        "StringLike",
    )
    assert conditions.literal_names(family="String", ignore_case=False) == ("StringEquals", "StringLike")


def test_an_operator_built_from_its_text_and_base_alone_is_that_operator_as_written():
    """The optional parts of an Operator default to none (no set quantifier, no IfExists): built from the
    bare name and its base, it is the value that operator() reads from that name, and it requires the key."""
    for name, base in OPERATORS.items():
        built = conditions.Operator(name, base)
        assert built == operator(name) and (built.quantifier, built.if_exists) == ("", False)
    assert conditions.Operator("StringLike", OPERATORS["StringLike"]).requires_key


def test_a_condition_knows_its_operator():
    s = stmt("*", {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}})
    (c,) = s.conditions
    assert c.op is operator("ForAnyValue:StringLike") and c.op.name == "StringLike"


@pytest.mark.parametrize(
    ("pattern", "path_name", "may"),
    [
        ("arn:aws:iam::*:role/team/*", "c", False),
        ("arn:aws:iam::*:role/team/*", "team/c", True),
        ("arn:aws:iam::123456789012:role/c", "c", True),  # the unknown account may be that one
        ("arn:aws:iam::12345:role/c", "c", False),  # not 12 digits
        ("arn:aws:iam::*:role/c*", "c", True),
        ("arn:aws-cn:iam::*:role/c", "c", True),  # the partition is not known either
        ("arn:aws:iam::*:role/d", "c", False),
        ("arn:*:role/c", "c", True),
        ("arn:aws:iam::?????????????:role/c", "c", False),  # 13 characters cannot be the account
        ("arn:aws:iam::*:user/c", "c", False),
        ("arn:aws:iam::${aws:PrincipalAccount}:role/c", "c", True),  # a variable may stand for the account
        ("arn:aws:iam::${aws:PrincipalAccount}:role/d", "c", False),
        ("arn:aws", "c", False),  # a prefix of the ARN is not the ARN
        ("arn:aws-us-gov:iam::123456789012:role/c", "c", True),
        ("arn:aws1:iam::123456789012:role/c", "c", False),  # a partition is letters and dashes
        ("arn:aws:iam::1234567890ab:role/c", "c", False),  # an account is digits
        ("arn:aws:iam::*:role/a\\b/c", "a\\b/c", True),  # a path may hold a backslash, as written
        ("*c", "c", True),
        ("*/team/*", "c", False),
    ],
)
def test_a_role_arn_not_known_yet_is_matched_by_its_shape(pattern: str, path_name: str, may: bool) -> None:
    assert principals.may_match_unknown_arn(pattern, path_name) is may


FED = {"Federated": "cognito-identity.amazonaws.com"}


@pytest.mark.parametrize(
    ("principal", "assumable"),
    [
        ({"Principal": FED}, True),
        ({"Principal": {"AWS": "*"}}, True),
        ({"Principal": {"Federated": "accounts.google.com"}}, False),
        ({"NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"}}, True),  # everyone else: Cognito too
        ({"NotPrincipal": FED}, False),
        ({"NotPrincipal": "*"}, False),
        ({"NotPrincipal": {"AWS": "*"}}, False),
        ({}, False),  # no principal: no one
    ],
)
def test_which_trust_principals_admit_a_cognito_web_identity(principal, assumable):
    """A trust Allow of sts:AssumeRoleWithWebIdentity admits Cognito's users by naming the Cognito
    federated principal, by ``*``, or by a NotPrincipal that leaves it out; a Deny of the same shape for
    everyone undoes it."""
    allow = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", **principal}
    assert principals.web_identity_assumable(parse_document({"Statement": [allow]})) is assumable
    deny = {**allow, "Effect": "Deny"}
    pinned = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Principal": FED}
    both = parse_document({"Statement": [pinned, deny]})
    assert principals.web_identity_assumable(both) is (not assumable)


@pytest.mark.parametrize("role", [PREVIEW, DEPLOYED], ids=["preview", "deployed"])
def test_another_roles_arn_with_a_principal_arn_condition_naming_our_role_does_not_name_it(role):
    """A statement whose principal is another role (not ``*``) does not name our role because its
    aws:PrincipalArn condition does: the principal must match too, so the statement never applies."""
    other = f"arn:aws:iam::{ACCOUNT}:role/app/other"
    s = stmt({"AWS": other}, {"StringEquals": {"aws:PrincipalArn": ARN}})
    assert names_role(s, role) is False


def test_every_aws_principal_applies_to_a_role_whose_name_is_not_known_yet():
    """``{"AWS": "*"}`` is everyone, like ``"*"``: it applies to the role even before its name and ARN
    are known (no-widening counts it), with no aws:PrincipalArn condition to rule the role out."""
    unnamed = R(physical_name=None)
    assert applies_to_role(stmt({"AWS": "*"}), unnamed) is True
    assert applies_to_role(stmt("*"), unnamed) is True


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
