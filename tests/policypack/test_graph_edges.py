"""Edge resolution (graph/link.py): which role a document reaches, which bucket a policy or setting is
for, which roles a pool hands out. Property dependencies decide first, known names and ARNs second;
each kind of edge is checked resolving by a dependency alone and by a known value alone (no property
dependencies at all, as a program that spells names out registers them)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cognito_s3_guard.documents import UNKNOWN_DOCUMENT
from cognito_s3_guard.graph import Graph, Node, build_graph
from cognito_s3_guard.graph import tokens as T
from cognito_s3_guard.reach import role_reach

from offline.model import UNKNOWN

ACCOUNT = "123456789012"
SUB = "${cognito-identity.amazonaws.com:sub}"
BUCKET = T.BUCKET_TYPES[0]


def urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:test::files::{rtype}::{name}"


def node(rtype: str, name: str, props: dict[str, Any], deps: dict[str, list[str]] | None = None) -> Node:
    return Node(urn(rtype, name), rtype, name, props, deps or {})


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


OBJECTS = doc({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::files/users/{SUB}/*"})


def role(name: str = "auth-role", preview: bool = True, **extra: Any) -> Node:
    arn = UNKNOWN if preview else f"arn:aws:iam::{ACCOUNT}:role/{name}"
    return node(
        T.ROLE, name, {"name": name, "path": "/", "arn": arn, "id": UNKNOWN if preview else name, **extra}
    )


def bucket(name: str = "files", preview: bool = True) -> Node:
    known = not preview
    return node(
        BUCKET,
        name,
        {
            "bucket": name,
            "arn": f"arn:aws:s3:::{name}" if known else UNKNOWN,
            "id": name if known else UNKNOWN,
        },
    )


def routes(graph: Graph, role_name: str = "auth-role") -> list[str]:
    return [s.route for s in graph.roles[urn(T.ROLE, role_name)].sources]


# --- identity side: documents reach roles --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "deps"),
    [(UNKNOWN, [urn(T.ROLE, "auth-role")]), ("auth-role", []), ("other", [urn(T.ROLE, "auth-role")])],
    ids=["dependency-alone", "known-name-alone", "dependency-beats-a-value-naming-another-role"],
)
def test_role_policy_reaches_its_role(value, deps):
    rp = node(T.ROLE_POLICY, "files-access", {"role": value, "policy": OBJECTS}, {"role": deps})
    g = build_graph([role(), role("other"), rp])
    assert routes(g) == ["aws:iam/rolePolicy:RolePolicy 'files-access'"]
    assert routes(g, "other") == []


READ_ONLY_ROUTE = (
    "AWS-managed policy AmazonS3ReadOnlyAccess (managed policy attached by RolePolicyAttachment 'ro')"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"arn:aws:iam::{ACCOUNT}:role/auth-role", [READ_ONLY_ROUTE]),
        # The role's path is "/": an ARN with the path /team/ names another role (IAM: role<path><name>).
        (f"arn:aws:iam::{ACCOUNT}:role/team/auth-role", []),
        ("auth-role", [READ_ONLY_ROUTE]),
    ],
    ids=["role-arn", "role-arn-with-path", "name"],
)
def test_a_known_role_reference_resolves_without_dependencies_even_when_the_role_arn_is_unknown(
    value, expected
):
    att = node(
        T.ROLE_POLICY_ATTACHMENT,
        "ro",
        {"role": value, "policyArn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"},
    )
    g = build_graph([role(preview=True), att])
    assert routes(g) == expected


def test_a_reference_to_nothing_in_the_program_attaches_nothing():
    rp = node(
        T.ROLE_POLICY, "p", {"role": "someone-else", "policy": OBJECTS}, {"role": [urn(T.IDENTITY_POOL, "x")]}
    )
    g = build_graph([role(), rp])
    assert routes(g) == [] and g.malformed == []


@pytest.mark.parametrize(
    ("preview", "by"),
    [(True, "dependency"), (False, "dependency"), (False, "arn")],  # a Policy's ARN is unknown at preview
    ids=["preview-dependency-alone", "deployed-with-dependency", "deployed-known-arn-alone"],
)
def test_a_customer_managed_policy_reaches_the_role_through_each_attachment_type(preview, by):
    arn = f"arn:aws:iam::{ACCOUNT}:policy/files-access"
    policy = node(
        T.POLICY,
        "files-access",
        {"name": "files-access", "arn": UNKNOWN if preview else arn, "policy": OBJECTS},
    )
    value, deps = (UNKNOWN if preview else arn, [policy.urn]) if by == "dependency" else (arn, [])
    r = role(preview=preview, managedPolicyArns=[value])
    r.property_dependencies = {"managedPolicyArns": deps}
    attachments = [
        node(T.ROLE_POLICY_ATTACHMENT, "rpa", {"role": "auth-role", "policyArn": value}, {"policyArn": deps}),
        node(T.POLICY_ATTACHMENT, "pa", {"roles": ["auth-role"], "policyArn": value}, {"policyArn": deps}),
        node(
            T.ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
            "rpae",
            {"roleName": "auth-role", "policyArns": [value]},
            {"policyArns": deps},
        ),
    ]
    g = build_graph([r, policy, *attachments])
    p = "aws:iam/policy:Policy 'files-access'"
    assert routes(g) == [
        f"{p} (managedPolicyArns of the role)",
        f"{p} (managed policy attached by RolePolicyAttachment 'rpa')",
        f"{p} (managed policy attached by RolePolicyAttachmentsExclusive 'rpae')",
        f"{p} (managed policy attached by PolicyAttachment 'pa')",
    ]
    docs = {id(s.doc) for s in g.roles[r.urn].sources}
    assert len(docs) == 1 and g.roles[r.urn].sources[0].doc.known  # parsed once, shared by every route


def test_a_policy_attachment_mixing_a_known_role_name_and_an_unknown_reaches_the_known_one():
    other = role("other")
    pa = node(
        T.POLICY_ATTACHMENT,
        "pa",
        {"roles": ["auth-role", UNKNOWN], "policyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"},
    )
    g = build_graph([role(), other, pa])
    assert routes(g) == [
        "AWS-managed policy AmazonS3FullAccess (managed policy attached by PolicyAttachment 'pa')"
    ]
    assert routes(g, "other") == []


def test_managed_policy_arns_mixing_a_known_aws_managed_arn_and_a_computed_one():
    """The known AWS-managed ARN is read as what the pack knows of it; the computed one finds the Policy
    through the list's dependencies."""
    policy = node(T.POLICY, "files-access", {"name": "files-access", "arn": UNKNOWN, "policy": OBJECTS})
    r = role(managedPolicyArns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess", UNKNOWN])
    r.property_dependencies = {"managedPolicyArns": [policy.urn]}
    g = build_graph([r, policy])
    assert routes(g) == [
        "AWS-managed policy AmazonS3ReadOnlyAccess (managedPolicyArns of the role)",
        "aws:iam/policy:Policy 'files-access' (managedPolicyArns of the role)",
    ]


VIA = "managed policy attached by RolePolicyAttachment 'x'"


@pytest.mark.parametrize(
    ("arn", "deps", "route", "external", "tied"),
    [
        (
            UNKNOWN,
            [urn(BUCKET, "files")],
            f"a managed policy whose ARN is not known yet ({VIA})",
            "",
            True,
        ),
        (
            UNKNOWN,
            [],
            f"a managed policy whose ARN is not known yet ({VIA})",
            "",
            False,
        ),
        (
            f"arn:aws:iam::{ACCOUNT}:policy/elsewhere",
            [],
            f"policy arn:aws:iam::{ACCOUNT}:policy/elsewhere ({VIA})",
            f"arn:aws:iam::{ACCOUNT}:policy/elsewhere",
            False,
        ),
        (
            "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
            [],
            f"AWS-managed policy AmazonDynamoDBFullAccess ({VIA})",
            "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess",
            False,
        ),
    ],
    ids=[
        "computed-arn-depending-on-a-bucket",
        "computed-arn-depending-on-nothing",
        "known-arn-outside",
        "aws-managed-the-pack-does-not-carry",
    ],
)
def test_a_managed_policy_arn_that_matches_no_policy_of_the_program(arn, deps, route, external, tied):
    """Its document is unknown: inferred from its dependencies when they hold a bucket, otherwise
    unverifiable (and named as outside the program when its ARN is known)."""
    att = node(T.ROLE_POLICY_ATTACHMENT, "x", {"role": "auth-role", "policyArn": arn}, {"policyArn": deps})
    b = bucket()
    g = build_graph([role(), b, att])
    (src,) = g.roles[urn(T.ROLE, "auth-role")].sources
    assert (src.route, src.doc, src.external, src.urn) == (route, UNKNOWN_DOCUMENT, external, att.urn)
    reach = role_reach(g.roles[urn(T.ROLE, "auth-role")], g)
    assert (b.urn in reach.inferred, src in reach.unverifiable) == (tied, not tied)


def test_malformed_inline_policies_of_a_role_are_recorded_by_entry():
    inline = [
        {"name": "ok", "policy": OBJECTS},
        {"name": "not-json", "policy": "{not json"},
        {"name": "no-statement", "policy": json.dumps({"Version": "2012-10-17"})},
        "not an entry",
        {"policy": json.dumps({"Statement": [{"Effect": "Allow"}]})},
        UNKNOWN,
    ]
    r = role(inlinePolicies=inline)
    r.property_dependencies = {"inlinePolicies": [urn(BUCKET, "files")]}
    g = build_graph([r])
    assert [(n.urn, prop) for n, prop, _ in g.malformed] == [
        (r.urn, "inlinePolicies[1].policy"),
        (r.urn, "inlinePolicies[2].policy"),
        (r.urn, "inlinePolicies[4].policy"),
    ]
    assert "not valid JSON" in g.malformed[0][2] and "no Statement" in g.malformed[1][2]
    sources = g.roles[r.urn].sources
    assert [(s.route, s.doc.state) for s in sources] == [
        ("inline policy 'ok' of the role", "known"),
        ("inline policy 'not-json' of the role", "malformed"),
        ("inline policy 'no-statement' of the role", "malformed"),
        ("inline policy '4' of the role", "malformed"),
        ("inline policies of the role", "unknown"),
    ]
    assert all(s.deps == (urn(BUCKET, "files"),) for s in sources)


def test_a_document_is_parsed_and_reported_once_however_often_it_is_attached():
    bad = node(T.POLICY, "bad", {"name": "bad", "arn": UNKNOWN, "policy": "{"})
    roles = [role(f"r{i}") for i in range(3)]
    atts = [
        node(
            T.ROLE_POLICY_ATTACHMENT,
            f"a{i}",
            {"role": f"r{i}", "policyArn": UNKNOWN},
            {"policyArn": [bad.urn]},
        )
        for i in range(3)
    ]
    g = build_graph([*roles, bad, *atts])
    assert [(n.urn, p) for n, p, _ in g.malformed] == [(bad.urn, "policy")]


def test_an_unattached_document_is_not_judged():
    """Only documents that reach a role or a bucket are parsed (today's behaviour, kept)."""
    g = build_graph(
        [
            node(T.POLICY, "bad", {"name": "bad", "policy": "{"}),
            node(T.BUCKET_POLICY, "bp", {"bucket": "nowhere", "policy": "{"}),
        ]
    )
    assert g.malformed == []


# --- resource side: bucket policies and settings reach buckets -----------------------------------


@pytest.mark.parametrize("by", ["dependency", "name", "arn"])
def test_bucket_policies_and_settings_find_their_bucket(by):
    b = bucket(preview=by != "arn")
    value, deps = {
        "dependency": (UNKNOWN, [b.urn]),
        "name": ("files", []),
        "arn": ("arn:aws:s3:::files", []),
    }[by]
    flags = dict.fromkeys(
        ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True
    )
    resources = [
        b,
        bucket("other"),
        node(T.BUCKET_POLICY, "bp", {"bucket": value, "policy": OBJECTS}, {"bucket": deps}),
        node(T.PUBLIC_ACCESS_BLOCK, "bpa", {"bucket": value, **flags}, {"bucket": deps}),
        node(
            T.OWNERSHIP_CONTROLS,
            "own",
            {"bucket": value, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            {"bucket": deps},
        ),
        node(T.ENCRYPTION_TYPES[1], "sse", {"bucket": value}, {"bucket": deps}),
    ]
    g = build_graph(resources)
    files, other = g.buckets[b.urn], g.buckets[urn(BUCKET, "other")]
    assert [s.route for s in files.policies] == ["aws:s3/bucketPolicy:BucketPolicy 'bp'"]
    assert [n.name for n in (*files.public_access_blocks, *files.ownership, *files.encryption)] == [
        "bpa",
        "own",
        "sse",
    ]
    assert [(s.kind, dict(s.values)) for s in files.settings] == [
        ("public_access_blocks", flags),
        ("ownership", {"objectOwnership": "BucketOwnerEnforced"}),
        ("encryption", {}),
    ]
    assert other.policies == [] and other.settings == []


def test_a_buckets_inline_policy_and_encryption_come_before_separate_resources():
    b = node(
        BUCKET,
        "files",
        {"bucket": "files", "policy": OBJECTS, "serverSideEncryptionConfiguration": {"rule": {}}},
    )
    bp = node(T.BUCKET_POLICY, "bp", {"bucket": "files", "policy": OBJECTS})
    sse = node(T.ENCRYPTION_TYPES[0], "sse", {"bucket": "files"})
    g = build_graph([bp, sse, b])
    files = g.buckets[b.urn]
    assert [s.route for s in files.policies] == [
        "inline policy of Bucket 'files'",
        "aws:s3/bucketPolicy:BucketPolicy 'bp'",
    ]
    assert [n.name for n in files.encryption] == ["files", "sse"]


# --- Cognito: pools hand out roles; groups name roles --------------------------------------------


@pytest.mark.parametrize(
    ("props", "deps", "how"),
    [
        (
            {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}},
            {"roles": [urn(T.ROLE, "auth-role")]},
            "in its roles",
        ),
        (
            {
                "identityPoolId": "us-east-1:p",
                "roles": {"authenticated": f"arn:aws:iam::{ACCOUNT}:role/auth-role"},
            },
            {},
            "as its 'authenticated' role",
        ),
        (
            {
                "identityPoolId": "us-east-1:p",
                "roles": {},
                "roleMappings": [{"mappingRules": [{"roleArn": f"arn:aws:iam::{ACCOUNT}:role/auth-role"}]}],
            },
            {},
            "in a role-mapping rule",
        ),
        (
            {"identityPoolId": UNKNOWN, "roleMappings": UNKNOWN},
            {"roleMappings": [urn(T.ROLE, "auth-role")]},
            "in its role mappings",
        ),
    ],
    ids=["dependency-alone", "known-arn-alone", "role-mapping-rule", "role-mapping-dependency"],
)
def test_a_role_attachment_makes_its_roles_cognito_roles(props, deps, how):
    att = node(T.ROLE_ATTACHMENT, "roles", props, deps)
    g = build_graph([role(), role("other"), att])
    r = g.roles[urn(T.ROLE, "auth-role")]
    assert r.cognito_reasons == [f"IdentityPoolRoleAttachment 'roles' attaches it {how}"]
    pool_id = props["identityPoolId"] if props["identityPoolId"] != UNKNOWN else None
    assert r.pools == [(att.urn, pool_id)]
    assert g.roles[urn(T.ROLE, "other")].cognito_reasons == []


@pytest.mark.parametrize(
    ("value", "deps"),
    [(UNKNOWN, [urn(T.ROLE, "group-role")]), (f"arn:aws:iam::{ACCOUNT}:role/group-role", [])],
    ids=["dependency-alone", "known-arn-alone"],
)
def test_a_user_pool_group_names_its_role_without_making_it_a_cognito_role(value, deps):
    """Recorded on the role (issue 10 builds on it); which roles the rules judge is unchanged."""
    group = node(
        T.USER_GROUP, "admins", {"name": "admins", "userPoolId": UNKNOWN, "roleArn": value}, {"roleArn": deps}
    )
    g = build_graph([role("group-role"), group])
    r = g.roles[urn(T.ROLE, "group-role")]
    assert r.groups == [group] and r.cognito_reasons == [] and g.groups == {group.urn: group}


def test_trust_reasons_from_a_pool_dependency_and_from_the_document():
    pool = node(T.IDENTITY_POOL, "pool", {"id": UNKNOWN})
    trusted = doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
        }
    )
    anyone = doc({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRoleWithWebIdentity"})
    a = role("a", assumeRolePolicy=UNKNOWN)
    a.property_dependencies = {"assumeRolePolicy": [pool.urn]}
    g = build_graph([pool, a, role("b", assumeRolePolicy=trusted), role("c", assumeRolePolicy=anyone)])
    assert g.roles[a.urn].cognito_reasons == ["its trust policy depends on identity pool 'pool'"]
    assert g.roles[urn(T.ROLE, "b")].cognito_reasons == [
        "its trust policy trusts cognito-identity.amazonaws.com"
    ]
    assert g.roles[urn(T.ROLE, "c")].cognito_reasons == [
        'its trust policy lets any principal ("*"), cognito-identity.amazonaws.com included, assume it'
    ]


# --- each edge once; what could not be linked is recorded -----------------------------------------


@pytest.mark.parametrize("times", [2, 3])
def test_a_dependency_listed_more_than_once_attaches_a_document_once(times):
    """However often a property's dependencies list a resource, the document is attached to it once, so
    routes (and the findings that cite them) are not repeated."""
    b = bucket()
    rp = node(
        T.ROLE_POLICY, "p", {"role": UNKNOWN, "policy": OBJECTS}, {"role": [urn(T.ROLE, "auth-role")] * times}
    )
    bp = node(T.BUCKET_POLICY, "bp", {"bucket": UNKNOWN, "policy": OBJECTS}, {"bucket": [b.urn] * times})
    g = build_graph([role(), b, rp, bp])
    assert routes(g) == ["aws:iam/rolePolicy:RolePolicy 'p'"]
    assert [s.route for s in g.buckets[b.urn].policies] == ["aws:s3/bucketPolicy:BucketPolicy 'bp'"]


@pytest.mark.parametrize(
    ("value", "deps", "attached", "unresolved"),
    [
        (UNKNOWN, [urn(T.ROLE, "auth-role")], True, False),
        ("auth-role", [], True, False),
        (UNKNOWN, ["urn:pulumi:test::files::aws:cognito/userPool:UserPool::users"], False, True),
        (UNKNOWN, [], False, True),
        ("someone-else", [], False, False),
    ],
    ids=[
        "computed-from-the-role",
        "known-name",
        "computed-from-no-role",
        "computed-from-nothing",
        "known-name-outside-the-program",
    ],
)
def test_a_role_document_whose_computed_role_matches_no_role_is_recorded_as_unresolved(
    value, deps, attached, unresolved
):
    """A role not known yet that no role of the program stands behind is kept for unverified-at-preview;
    a document that reached its role, or names a role outside the program, is not."""
    rp = node(T.ROLE_POLICY, "p", {"role": value, "policy": OBJECTS}, {"role": deps})
    g = build_graph([role(), rp])
    assert routes(g) == (["aws:iam/rolePolicy:RolePolicy 'p'"] if attached else [])
    assert g.unresolved == ([(rp, "role")] if unresolved else [])


def test_a_role_attachment_naming_a_role_twice_records_it_once_and_each_attachment_once():
    """The first way an attachment names the role is its reason; a second attachment (another pool) adds
    its own reason and pool."""
    arn = f"arn:aws:iam::{ACCOUNT}:role/auth-role"
    twice = node(
        T.ROLE_ATTACHMENT,
        "roles",
        {
            "identityPoolId": "us-east-1:p",
            "roles": {"authenticated": arn},
            "roleMappings": [{"mappingRules": [{"roleArn": arn}]}],
        },
        {"roles": [urn(T.ROLE, "auth-role")]},
    )
    other = node(
        T.ROLE_ATTACHMENT, "more", {"identityPoolId": "us-east-1:q", "roles": {"authenticated": arn}}
    )
    g = build_graph([role(preview=False), twice, other])
    r = g.roles[urn(T.ROLE, "auth-role")]
    assert r.cognito_reasons == [
        "IdentityPoolRoleAttachment 'roles' attaches it as its 'authenticated' role",
        "IdentityPoolRoleAttachment 'more' attaches it as its 'authenticated' role",
    ]
    assert r.pools == [(twice.urn, "us-east-1:p"), (other.urn, "us-east-1:q")]


WEB = "sts:AssumeRoleWithWebIdentity"
COGNITO = {"Federated": "cognito-identity.amazonaws.com"}
LAMBDA, ROOT = {"Service": "lambda.amazonaws.com"}, f"arn:aws:iam::{ACCOUNT}:root"
TRUSTS = "its trust policy trusts cognito-identity.amazonaws.com"
ANYONE = 'its trust policy lets any principal ("*"), cognito-identity.amazonaws.com included, assume it'


@pytest.mark.parametrize(
    ("statements", "pools", "reasons"),
    [
        ([{"Effect": "Allow", "Principal": COGNITO, "Action": WEB}], 0, [TRUSTS]),
        ([{"Effect": "Deny", "Principal": COGNITO, "Action": WEB}], 0, []),
        ([{"Effect": "Allow", "NotPrincipal": {"AWS": ROOT}, "Action": WEB}], 0, []),
        ([{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": WEB}], 0, [ANYONE]),
        ([{"Effect": "Allow", "Principal": "*", "Action": "sts:*"}], 0, [ANYONE]),
        ([{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}], 0, []),
        ([{"Effect": "Deny", "Principal": "*", "Action": WEB}], 0, []),
        ([{"Effect": "Allow", "Principal": LAMBDA, "Action": WEB}], 0, []),
        ([{"Effect": "Allow", "Principal": "*", "Action": WEB},
          {"Effect": "Allow", "Principal": COGNITO, "Action": WEB}], 0, [TRUSTS]),
        ([{"Effect": "Allow", "Principal": COGNITO, "Action": WEB}], 1,
         [TRUSTS, "its trust policy depends on identity pool 'pool0'"]),
        ([{"Effect": "Allow", "Principal": LAMBDA, "Action": "sts:AssumeRole"}], 2,
         ["its trust policy depends on identity pool 'pool0', 'pool1'"]),
    ],
    ids=[
        "trusts-cognito",
        "denies-cognito",
        "not-principal-is-not-valid-in-a-trust",
        "any-aws-principal",
        "star-with-an-sts-wildcard",
        "star-without-web-identity",
        "star-denied",
        "a-service-with-web-identity",
        "cognito-named-beside-star",
        "cognito-and-a-pool-dependency",
        "two-pool-dependencies-alone",
    ],
)  # fmt: skip
def test_a_deployed_trust_policy_makes_a_cognito_role_only_when_it_admits_cognito(statements, pools, reasons):
    """Known trust documents: an Allow naming the Cognito principal, or "*" with the web-identity action,
    makes a Cognito role; a Deny, another principal or another action does not (and NotPrincipal cannot
    appear in a trust policy: IAM refuses it). A dependency on an identity pool is a reason of its own."""
    pool_nodes = [node(T.IDENTITY_POOL, f"pool{i}", {"id": f"us-east-1:{i}"}) for i in range(pools)]
    r = role(preview=False, assumeRolePolicy=doc(*statements))
    r.property_dependencies = {"assumeRolePolicy": [p.urn for p in pool_nodes] + [urn(BUCKET, "files")]}
    g = build_graph([*pool_nodes, bucket(preview=False), r])
    assert g.roles[r.urn].cognito_reasons == reasons


# --- the graph the rules read: labels, path names, buckets by name --------------------------------


@pytest.mark.parametrize(
    ("physical", "path", "label", "path_name"),
    [
        ("auth-role", "/", "role 'auth-role'", "auth-role"),
        ("auth-role-1a2b3c4", "/", "role 'auth-role' (auth-role-1a2b3c4)", "auth-role-1a2b3c4"),
        (
            "auth-role-1a2b3c4",
            "/app/team/",
            "role 'auth-role' (auth-role-1a2b3c4)",
            "app/team/auth-role-1a2b3c4",
        ),
        ("auth-role", "/app", "role 'auth-role'", "app/auth-role"),
        (UNKNOWN, "/app/", "role 'auth-role'", None),
    ],
    ids=["named-as-logical", "autonamed", "with-a-path", "path-without-trailing-slash", "name-not-known-yet"],
)
def test_a_role_is_labelled_and_matched_by_its_known_physical_name_and_path(physical, path, label, path_name):
    """Findings label a role by its logical name, and by its physical name when that differs and is known;
    its path name (``path/name``, what a role ARN ends with) exists only once the name is known."""
    r = node(T.ROLE, "auth-role", {"name": physical, "path": path, "arn": UNKNOWN})
    g = build_graph([r])
    assert (g.roles[r.urn].label, g.roles[r.urn].path_name) == (label, path_name)


def test_buckets_are_labelled_and_found_by_their_known_physical_names_only():
    named = node(BUCKET, "files", {"bucket": "files"})
    autonamed = node(BUCKET, "logs", {"bucket": "logs-5d6e7f8"})
    computed = node(BUCKET, "tmp", {"bucket": UNKNOWN})
    g = build_graph([named, autonamed, computed])
    labels = [g.buckets[b.urn].label for b in (named, autonamed, computed)]
    assert labels == ["bucket 'files'", "bucket 'logs' (logs-5d6e7f8)", "bucket 'tmp'"]
    assert g.bucket_by_name("files") is g.buckets[named.urn]
    assert g.bucket_by_name("logs-5d6e7f8") is g.buckets[autonamed.urn]
    assert [g.bucket_by_name(n) for n in ("logs", "tmp", UNKNOWN)] == [None, None, None]


@pytest.mark.parametrize(
    ("principal", "first"), [(COGNITO, TRUSTS), ("*", ANYONE)], ids=["trusts-cognito", "any-principal"]
)
def test_what_the_trust_document_says_is_the_first_reason_then_attachments_then_pool_dependencies(
    principal, first
):
    """The reasons a role is a Cognito role are cited in findings (their routes) in this order."""
    pool = node(T.IDENTITY_POOL, "pool", {"id": "us-east-1:p"})
    r = role(preview=False, assumeRolePolicy=doc({"Effect": "Allow", "Principal": principal, "Action": WEB}))
    r.property_dependencies = {"assumeRolePolicy": [pool.urn]}
    att = node(T.ROLE_ATTACHMENT, "roles", {"identityPoolId": "us-east-1:p", "roles": {"authenticated": "x"}},
               {"roles": [r.urn]})  # fmt: skip
    g = build_graph([pool, r, att])
    assert g.roles[r.urn].cognito_reasons == [
        first,
        "IdentityPoolRoleAttachment 'roles' attaches it in its roles",
        "its trust policy depends on identity pool 'pool'",
    ]


READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
POOL_DEP = ["urn:pulumi:test::files::aws:cognito/userPool:UserPool::users"]


@pytest.mark.parametrize(
    ("rtype", "props", "deps", "attached", "unresolved"),
    [
        (T.ROLE_POLICY_ATTACHMENT, {"role": UNKNOWN}, {"role": [urn(T.ROLE, "auth-role")]}, True, None),
        (T.ROLE_POLICY_ATTACHMENT, {"role": "auth-role"}, {}, True, None),
        (T.ROLE_POLICY_ATTACHMENT, {"role": UNKNOWN}, {"role": POOL_DEP}, False, "role"),
        (T.ROLE_POLICY_ATTACHMENT, {"role": "someone-else"}, {}, False, None),
        (T.POLICY_ATTACHMENT, {"roles": [UNKNOWN]}, {}, False, "roles"),
        (T.POLICY_ATTACHMENT, {"roles": ["auth-role", UNKNOWN]}, {}, True, None),
        (
            T.ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
            {"roleName": UNKNOWN},
            {"roleName": POOL_DEP},
            False,
            "roleName",
        ),
    ],
    ids=[
        "computed-from-the-role",
        "known-name",
        "computed-from-no-role",
        "known-name-outside-the-program",
        "policy-attachment-computed-from-nothing",
        "policy-attachment-known-and-computed",
        "exclusive-attachments-computed-from-no-role",
    ],
)
def test_a_managed_attachment_whose_computed_role_matches_no_role_is_recorded_as_unresolved(
    rtype, props, deps, attached, unresolved
):
    """As for role documents: a role not known yet that no role of the program stands behind is kept, under
    the property that names it, for unverified-at-preview; an attachment that reached a role is not."""
    arns = (
        {"policyArns": [READ_ONLY]}
        if rtype == T.ROLE_POLICY_ATTACHMENTS_EXCLUSIVE
        else {"policyArn": READ_ONLY}
    )
    att = node(rtype, "att", {**props, **arns}, deps)
    g = build_graph([role(), att])
    via = f"managed policy attached by {rtype.split(':')[-1]} 'att'"
    assert routes(g) == ([f"AWS-managed policy AmazonS3ReadOnlyAccess ({via})"] if attached else [])
    assert g.unresolved == ([(att, unresolved)] if unresolved else [])
