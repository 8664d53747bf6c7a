"""Pure document logic (no Pulumi): parsing forms, action matching, pattern containment and overlap,
and the grant comparison both rules are built on. Exact values, good and bad cases."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from cognito_s3_guard.documents import (
    AWS_MANAGED,
    Condition,
    Statement,
    action_matches,
    aws_managed_name,
    contains,
    expand_actions,
    intersects,
    parse_document,
    s3_target,
)
from cognito_s3_guard.principals import role_name_from_arn
from cognito_s3_guard.reach import Grant, covered, covers, statement_grants

from offline.model import UNKNOWN

SUB = "${cognito-identity.amazonaws.com:sub}"
B = "arn:aws:s3:::files"


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (f"{B}/users/*", f"{B}/users/{SUB}/*", True),  # users/* is wider than the per-identity folder
        (f"{B}/users/{SUB}/*", f"{B}/users/*", False),
        (f"{B}/users/{SUB}/*", f"{B}/users/{SUB}/*", True),
        (f"{B}/users/{SUB}/*", f"{B}/users/{SUB}", False),
        (f"{B}/*", B, False),  # objects are not the bucket
        ("*", f"{B}/anything", True),
        (f"{B}*", f"{B}/x", True),  # * crosses "/"
        (f"{B}/a?c", f"{B}/abc", True),
        (f"{B}/abc", f"{B}/a?c", False),
        (f"{B}/users/${{aws:username}}/*", f"{B}/users/{SUB}/*", False),  # different variables
        (f"{B}/users/{SUB}/*", f"{B}/users/{SUB}/photos/*", True),  # the same variable, then a folder in it
        (f"{B}/users/{SUB}/photos/*", f"{B}/users/{SUB}/*", False),
        ("users/*", f"users/{SUB}/", True),
        (f"users/{SUB}/", "users/*", False),
        # ${*}, ${?} and ${$} are the literal characters: the key named "*" is not every key
        (f"{B}/${{*}}", f"{B}/*", False),
        (f"{B}/*", f"{B}/${{*}}", True),
        (f"{B}/a${{?}}", f"{B}/ab", False),
        (f"{B}/a${{?}}", f"{B}/a?", False),
        (f"{B}/a?", f"{B}/a${{?}}", True),
        (f"{B}/a${{$}}", f"{B}/a$", True),
    ],
)
def test_contains(outer, inner, expected):
    assert contains(outer, inner) is expected


@pytest.mark.parametrize(
    ("p", "q", "expected"),
    [
        (f"{B}/*", B, False),
        ("arn:aws:s3:::*", B, True),
        ("*", f"{B}/*", True),
        (f"{B}/users/{SUB}/*", f"{B}/*", True),
        ("arn:aws:s3:::other/*", f"{B}/*", False),
        ("arn:aws:s3:::filesx", B, False),
        ("arn:aws:s3:::file?", B, True),
        ("arn:aws:s3:::${aws:username}", B, True),  # a variable may stand for anything
        (f"{B}/${{*}}", f"{B}/x", False),  # the literal character *, which "x" is not
        (f"{B}/${{*}}", f"{B}/*", True),
        (f"{B}/a${{?}}", f"{B}/a?", True),
    ],
)
def test_intersects_is_symmetric(p, q, expected):
    assert intersects(p, q) is expected and intersects(q, p) is expected


# Every pattern of up to two symbols over two literals, ``*`` and ``?``, and of three over narrower sets.
SHORT_PATTERNS = sorted(
    {"".join(p) for n in range(3) for p in itertools.product("ab*?", repeat=n)}
    | {"".join(p) for p in itertools.product("a*?", repeat=3)}
    | {"".join(p) for p in itertools.product("ab*", repeat=3)}
)
SHORT_KEYS = ["".join(k) for n in range(6) for k in itertools.product("abx", repeat=n)]


def _keys_matched(pattern: str) -> frozenset[str]:
    glob = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return frozenset(filter(re.compile(glob, re.DOTALL).fullmatch, SHORT_KEYS))


def test_containment_and_overlap_agree_with_the_keys_the_patterns_match():
    """Against every key of up to five characters: ``intersects`` is exact; ``contains`` never says a
    pattern covers one it does not (a wrong "covered" would hide a missing or a wider grant), and is exact
    unless the outer pattern has ``*`` next to ``?`` (``?*`` against ``*a`` is not seen as covered: a
    false alarm, never a missed one)."""
    matched = {p: _keys_matched(p) for p in SHORT_PATTERNS}
    wrong = []
    for outer, inner in itertools.product(SHORT_PATTERNS, repeat=2):
        included, overlap = matched[inner] <= matched[outer], bool(matched[inner] & matched[outer])
        exact = "*?" not in outer and "?*" not in outer
        if contains(outer, inner) != included and (exact or not included):
            wrong.append(("contains", outer, inner))
        if intersects(outer, inner) != overlap:
            wrong.append(("intersects", outer, inner))
    assert wrong == []


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("s3:GetObject", "s3:GetObject", True),
        ("S3:GETOBJECT", "s3:GetObject", True),
        ("s3:Get*", "s3:GetObjectAcl", True),
        ("s3:?etObject", "s3:GetObject", True),
        ("s3:Get*", "s3:PutObject", False),
        ("*", "s3:ListBucket", True),
        ("s3:List", "s3:ListBucket", False),
    ],
)
def test_action_matches(pattern, action, expected):
    assert action_matches(pattern, action) is expected


@pytest.mark.parametrize(
    ("actions", "not_actions", "expected"),
    [
        (("s3:Get*",), None, {"s3:GetObject": True, "s3:PutObject": False}),
        (None, ("s3:Get*",), {"s3:GetObject": False, "s3:PutObject": True}),
        (None, None, {"s3:GetObject": False, "s3:PutObject": False}),  # names no action: allows none
    ],
    ids=["Action", "NotAction", "neither"],
)
def test_a_statement_allows_the_actions_its_action_or_not_action_names(actions, not_actions, expected):
    """What ``Statement.allows_action`` promises its callers (trust and bucket-hardening reads): an
    Action allows what it matches, a NotAction what it does not, and a statement built without either
    allows nothing (the parser never makes one; a caller that builds one must not get a grant)."""
    stmt = Statement("Allow", actions=actions, not_actions=not_actions)
    assert {a: stmt.allows_action(a) for a in expected} == expected


def test_expand_actions_handles_wildcards_exactly():
    assert expand_actions(["s3:*Object"]) == {
        "s3:DeleteObject", "s3:GetObject", "s3:PutObject", "s3:ReplicateObject", "s3:RestoreObject",
    }  # fmt: skip


def test_parse_forms_string_list_object():
    one = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{B}/*", "Principal": {"AWS": "x"}}
    as_text = parse_document(json.dumps({"Statement": one}))
    as_object = parse_document({"Statement": [one]})
    assert as_text == as_object
    assert as_text.statements == (
        Statement("Allow", actions=("s3:GetObject",), resources=(f"{B}/*",), principals=(("AWS", "x"),)),
    )


def test_parse_conditions_are_normalised():
    d = parse_document(
        {"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": B,
                       "Condition": {"StringLike": {"S3:Prefix": ["a/", "b/"]},
                                     "Bool": {"aws:SecureTransport": False}}}}
    )  # fmt: skip
    assert d.statements[0].conditions == (
        Condition("StringLike", "s3:prefix", ("a/", "b/")),
        Condition("Bool", "aws:securetransport", ("false",)),
    )


@pytest.mark.parametrize(
    ("value", "state"),
    [(None, "absent"), ("", "absent"), ({}, "absent"), (UNKNOWN, "unknown"),
     ({"Statement": [{"Resource": UNKNOWN}]}, "unknown"), ("{", "malformed"),
     (json.dumps({"Statement": [{"Resource": f"{B}/{UNKNOWN}/*"}]}), "unknown"),  # an unknown inside text
     ({"Statement": [{"Condition": {UNKNOWN: {}}}]}, "unknown"),  # an unknown key
     ("[" * 100_000 + "]" * 100_000, "malformed"),  # nested past the parser's depth
     ('{"Statement": [{"Effect": "Allow", "Action": "s3:*", "NotAction": "x"}]}', "malformed")],
)  # fmt: skip
def test_parse_states(value, state):
    assert parse_document(value).state == state


STATEMENT = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
# Wrong shapes a JSON document or an object can both carry.
WRONG_SHAPES = {
    "principal-bare-arn": {**STATEMENT, "Principal": "arn:aws:iam::123456789012:role/r"},
    "principal-list": {**STATEMENT, "Principal": ["*"]},
    "principal-value-not-a-string": {**STATEMENT, "Principal": {"AWS": [1]}},
    "condition-not-an-object": {**STATEMENT, "Condition": "x"},
    "condition-block-not-an-object": {**STATEMENT, "Condition": {"StringEquals": "x"}},
    "condition-value-an-object": {**STATEMENT, "Condition": {"StringEquals": {"aws:x": {"a": "b"}}}},
    "condition-value-null": {**STATEMENT, "Condition": {"StringEquals": {"aws:x": None}}},
    "action-a-number": {**STATEMENT, "Action": 3},
    "statement-a-string": "x",
    "no-effect": {k: v for k, v in STATEMENT.items() if k != "Effect"},
    "no-action": {k: v for k, v in STATEMENT.items() if k != "Action"},
    "resource-and-not-resource": {**STATEMENT, "NotResource": "x"},
}
# Only an object (a program's dict) can have keys that are not strings; JSON keys always are.
WRONG_OBJECT_SHAPES = {
    "principal-key-not-a-string": {**STATEMENT, "Principal": {1: "x"}},
    "condition-key-not-a-string": {**STATEMENT, "Condition": {"StringEquals": {1: "x"}}},
}


@pytest.mark.parametrize(
    ("statement", "as_json"),
    [*((s, True) for s in WRONG_SHAPES.values()), *((s, False) for s in WRONG_OBJECT_SHAPES.values())],
    ids=[*WRONG_SHAPES, *WRONG_OBJECT_SHAPES],
)
def test_a_statement_of_the_wrong_shape_makes_the_document_malformed_never_an_error(statement, as_json):
    """A document that IAM would refuse is reported as malformed (readable-documents names it), and
    yields no statement that could grant or deny anything."""
    forms = [{"Statement": [statement]}] + ([json.dumps({"Statement": statement})] if as_json else [])
    for value in forms:
        d = parse_document(value)
        assert (d.state, d.statements) == ("malformed", ())


@pytest.mark.parametrize("value", [[STATEMENT], "[]", 5, {"Version": "2012-10-17"}], ids=str)
def test_a_document_that_is_not_an_object_with_statements_is_malformed(value):
    assert (parse_document(value).state, parse_document(value).statements) == ("malformed", ())


def test_condition_values_are_read_as_iam_reads_them():
    """Numbers and booleans in a condition are compared as their text ("10", "1.5", "true")."""
    d = parse_document({"Statement": {**STATEMENT, "Condition": {
        "NumericLessThan": {"s3:max-keys": 10}, "NumericEquals": {"s3:x": [1.5, True]}}}})  # fmt: skip
    assert d.statements[0].conditions == (
        Condition("NumericLessThan", "s3:max-keys", ("10",)),
        Condition("NumericEquals", "s3:x", ("1.5", "true")),
    )


def test_s3_arns_of_every_partition_are_read_as_the_one_partition_of_the_stack():
    """A stack lives in one partition: ``arn:aws-cn:s3:::`` and ``arn:aws-us-gov:s3:::`` resources compare
    with the bucket as ``arn:aws:s3:::`` does, in Resource and NotResource; other services are as written."""
    table = "arn:aws-cn:dynamodb:cn-north-1:123456789012:table/t"
    d = parse_document({"Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws-cn:s3:::files/*", table]},
        {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws-us-gov:s3:::files", f"{B}/x"]},
    ]})  # fmt: skip
    assert [(s.resources, s.not_resources) for s in d.statements] == [
        ((f"{B}/*", table), None),
        (None, (B, f"{B}/x")),
    ]


def test_a_sid_that_is_not_a_string_is_kept_as_its_text():
    """Findings name the statement by its Sid; a number there (``"Sid": 1``) is read as "1"."""
    d = parse_document({"Statement": [{**STATEMENT, "Sid": 1}, STATEMENT, {**STATEMENT, "Sid": "Read"}]})
    assert [s.sid for s in d.statements] == ["1", "", "Read"]


def test_aws_managed_policies():
    assert aws_managed_name("arn:aws:iam::aws:policy/AmazonS3FullAccess") == "AmazonS3FullAccess"
    assert aws_managed_name("arn:aws:iam::aws:policy/service-role/AWSLambdaRole") == "AWSLambdaRole"
    assert aws_managed_name("arn:aws:iam::123456789012:policy/mine") is None
    assert AWS_MANAGED["AmazonS3FullAccess"].statements[0].actions == ("s3:*", "s3-object-lambda:*")


def test_arn_helpers():
    assert role_name_from_arn("arn:aws:iam::123456789012:role/path/auth") == ("123456789012", "path/auth")
    assert role_name_from_arn("arn:aws:iam::123456789012:user/bob") is None
    assert s3_target(f"{B}/users/*") == ("bucket", "files")
    assert s3_target("arn:aws:s3:::files-*") == ("any", None)
    assert s3_target("arn:aws:dynamodb:us-east-1:1:table/t") is None


def test_statement_grants_per_user_listing():
    stmt = parse_document(
        {"Statement": {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
                       "Resource": [B, f"{B}/users/{SUB}/*"],
                       "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/"]}}}}
    ).statements[0]  # fmt: skip
    assert statement_grants(stmt, "files", "r", "u") == [
        Grant("s3:GetObject", f"{B}/users/{SUB}/*", None, "r", "u"),
        Grant("s3:ListBucket", B, (f"users/{SUB}/",), "r", "u"),
    ]


@pytest.mark.parametrize(
    ("condition", "prefixes"),
    [
        ({"StringLike": {"s3:prefix": ["a/", "b/*"]}}, ("a/", "b/*")),
        ({"StringEquals": {"s3:prefix": "a/"}}, ("a/",)),
        ({"ForAnyValue:StringLike": {"s3:prefix": "a/"}}, ("a/",)),
        ({"StringLike": {"s3:prefix": "a/"}, "StringEquals": {"s3:prefix": "b/"}}, ("a/", "b/")),
        ({"StringLike": {"s3:prefix": "a/"}, "StringNotLike": {"s3:prefix": "a/x/*"}}, ("a/",)),
        # true when the request has no prefix (a listing of the whole bucket), or not a literal match
        ({"ForAllValues:StringLike": {"s3:prefix": "a/"}}, None),
        ({"StringLikeIfExists": {"s3:prefix": "a/"}}, None),
        ({"StringNotLike": {"s3:prefix": "a/"}}, None),
        ({"StringEqualsIgnoreCase": {"s3:prefix": "a/"}}, None),
        ({"ArnLike": {"s3:prefix": "a/"}}, None),
        ({"Null": {"s3:prefix": "false"}}, None),
        ({"StringLike": {"s3:delimiter": "/"}}, None),
        (None, None),
    ],
)
def test_which_s3_prefix_conditions_limit_a_listing(condition, prefixes):
    """Only a positive, case-sensitive string match that fails without a prefix limits what ListBucket
    lists; the prefixes go on the listing alone, never on an object action of the same statement."""
    raw = {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"], "Resource": [B, f"{B}/*"]}
    stmt = parse_document({"Statement": {**raw, **({"Condition": condition} if condition else {})}})
    assert statement_grants(stmt.statements[0], "files", "r", "u") == [
        Grant("s3:GetObject", f"{B}/*", None, "r", "u"),
        Grant("s3:ListBucket", B, prefixes, "r", "u"),
    ]


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        (Grant("s3:ListBucket", B, None), Grant("s3:ListBucket", B, ("users/x/",)), True),
        (Grant("s3:ListBucket", B, ("users/x/",)), Grant("s3:ListBucket", B, None), False),
        (Grant("s3:ListBucket", B, ("users/*",)), Grant("s3:ListBucket", B, (f"users/{SUB}/",)), True),
        (Grant("s3:ListBucket", B, (f"users/{SUB}/",)), Grant("s3:ListBucket", B, ("users/*",)), False),
        (Grant("s3:GetObject", f"{B}/*", None), Grant("s3:PutObject", f"{B}/*", None), False),
        (Grant("s3:ListBucket", B, ("a/",)), Grant("s3:ListBucket", B, ("a/", "b/")), False),  # every prefix
        (Grant("s3:ListBucket", B, ("a/", "b/")), Grant("s3:ListBucket", B, ("b/",)), True),  # by any one
        (Grant("s3:ListBucket", B, ("*",)), Grant("s3:ListBucket", "arn:aws:s3:::other", ("a/",)), False),
    ],
)
def test_covers(outer, inner, expected):
    assert covers(outer, inner) is expected


def _list(*prefixes: str, bucket: str = B) -> Grant:
    return Grant("s3:ListBucket", bucket, prefixes or None)


@pytest.mark.parametrize(
    ("grant", "by", "expected"),
    [
        (_list("a/", "b/"), [_list("a/"), _list("b/")], True),  # each prefix by its own statement
        (_list("a/", "b/"), [_list("a/")], False),
        (_list("a/", "b/"), [_list("a/"), _list("b/", bucket="arn:aws:s3:::other")], False),
        (_list("a/", "b/"), [], False),
        (_list("a/"), [_list("b/"), _list("a/", "c/")], True),
        (_list(), [_list("a/"), _list("b/")], False),  # a listing of the whole bucket is not split
        (_list("a/", "b/", "c/"), [_list("a/", "b/"), _list("c/")], True),
    ],
)
def test_a_listing_is_covered_when_every_prefix_is_by_some_grant(grant, by, expected):
    """The role's ListBucket over several prefixes may be granted by several bucket statements, each for
    some of them; it is granted only when every prefix is."""
    assert covered(grant, by) is expected


@pytest.mark.parametrize(
    ("deny", "expected"),
    [
        # A Deny is subtracted only where it certainly applies: a wildcard pattern that merely overlaps the
        # bucket's objects (*/private/*) or a NotResource that spares part of them denies no whole grant.
        ({"Resource": "arn:aws:s3:::*/private/*"}, []),
        ({"NotResource": f"{B}/users/{SUB}/*"}, []),
        ({"Resource": "arn:aws:s3:::f*/private"}, []),
        ({"Resource": "arn:aws:s3:::fil*"}, [f"{B}/*"]),  # * crosses "/": every object of files
        ({"Resource": "arn:aws:s3:::*"}, [f"{B}/*"]),
        ({"Resource": f"{B}/private/*"}, [f"{B}/private/*"]),
        ({"NotResource": "arn:aws:s3:::other/*"}, [f"{B}/*"]),
    ],
)
def test_deny_grants_are_only_what_the_deny_certainly_covers(deny, expected):
    stmt = parse_document({"Statement": {"Effect": "Deny", "Action": "s3:GetObject", **deny}}).statements[0]
    assert [g.pattern for g in statement_grants(stmt, "files", "r", "u")] == expected


@pytest.mark.parametrize(
    ("resource", "expected"),
    [("arn:aws:s3:::fil*", [B]), ("arn:aws:s3:::file?", [B]), ("arn:aws:s3:::*x", [])],
)
def test_deny_on_the_bucket_itself_only_when_it_covers_the_bucket_arn(resource, expected):
    stmt = parse_document(
        {"Statement": {"Effect": "Deny", "Action": "s3:ListBucket", "Resource": resource}}
    ).statements[0]
    assert [g.pattern for g in statement_grants(stmt, "files", "r", "u")] == expected


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
def test_role_lookup_by_a_literal_principal_arn_does_not_scan_every_role(preview):
    """Many tenants granting by "*" + aws:PrincipalArn must stay linear: a literal value is looked up."""
    from cognito_s3_guard.graph import Node, build_graph
    from cognito_s3_guard.principals import RoleLookup
    from pack_builder import StackBuilder, full_pattern, role_arn

    b = StackBuilder(preview=preview)
    for i in range(3):
        full_pattern(b, f"t{i}-", with_bucket_policy=False)
    nodes = [Node(r.urn, r.type, r.name, dict(r.outputs), r.property_dependencies) for r in b.resources]
    graph = build_graph(nodes)
    lookup = RoleLookup(list(graph.roles.values()))

    def candidates(op: str, value: str) -> list[str]:
        stmt = Statement("Allow", actions=("s3:GetObject",), resources=("*",), principals=(("*", "*"),),
                         conditions=(Condition(op, "aws:principalarn", (value,)),))  # fmt: skip
        return sorted(r.node.name for r in lookup._by_principal_arn(stmt))

    assert candidates("ArnEquals", role_arn("t1-auth-role")) == ["t1-auth-role"]
    assert len(candidates("ArnLike", "arn:aws:iam::*:role/t1-*")) == 3  # a wildcard scans, names_role decides


# --- long patterns (an S3 key may be 1024 characters) and long quoted values ------------------------

OBJ, LONG = "arn:aws:s3:::bucket/", "arn:aws:s3:::b/"


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




@pytest.mark.parametrize(
    ("p", "q", "overlap"),
    [
        (LONG + "*" + "a" * 400, LONG + "b" * 400 + "*", True),  # b...b a...a matches both
        (LONG + "*" + "a" * 400, LONG + "b" * 400 + "*c", False),  # one ends in a, the other in c
        (LONG + "*?" * 200, LONG + "?*" * 200 + "x", True),
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
        (LONG + "*" + "a" * 400, LONG + "b" * 400 + "?" + "a" * 400, True),
        (LONG + "*" + "a" * 400, LONG + "b" * 400 + "*" + "a" * 399, False),  # inner may end in one fewer a
        (LONG + "*?" * 200, LONG + "x" * 400, True),
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
