"""The graph's adapters, one table per resource type, and edge resolution (graph/).

Each adapter table gives a resource's properties in the first-preview shape (provider-computed values
UNKNOWN, with property dependencies) and in the deployed shape (every value known), and the typed nodes
the adapter makes of them. The edge tests build whole graphs: references resolved by a dependency alone,
by a known name or ARN alone (no property dependencies at all), lists that mix known values with an
unknown, malformed inline documents, and managed-policy ARNs that match no Policy of the program.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from cognito_s3_guard.graph import KEYS, Node, adapt, to_node
from cognito_s3_guard.graph import tokens as T
from cognito_s3_guard.graph.facts import (
    BucketDocument,
    BucketFact,
    BucketSetting,
    DocField,
    InlineDoc,
    ManagedAttachment,
    PolicyFact,
    PoolFact,
    Ref,
    RoleAttachmentFact,
    RoleDocument,
    RoleFact,
    RoleRoute,
    UserGroupFact,
)

from offline.model import UNKNOWN

ACCOUNT = "123456789012"
SUB = "${cognito-identity.amazonaws.com:sub}"
READ_ONLY = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"


def urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:test::files::{rtype}::{name}"


def node(rtype: str, name: str, props: dict[str, Any], deps: dict[str, list[str]] | None = None) -> Node:
    return Node(urn(rtype, name), rtype, name, props, deps or {})


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def objects_doc(bucket: str = "files") -> str:
    return doc(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/users/{SUB}/*"}
    )


ROLE_URN, POOL_URN, BUCKET_URN = (
    urn(T.ROLE, "auth-role"),
    urn(T.IDENTITY_POOL, "pool"),
    urn(T.BUCKET_TYPES[0], "files"),
)
POLICY_URN = urn(T.POLICY, "files-access")
TRUST = doc(
    {
        "Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
)


# --- one table per adapter -------------------------------------------------------------------------
# (case id, type, properties, property dependencies, expected typed nodes given the node)

Case = tuple[str, str, dict[str, Any], dict[str, list[str]], Any]


def _role_cases() -> list[Case]:
    inline = [{"name": "files", "policy": objects_doc()}]
    return [
        (
            "role-preview",
            T.ROLE,
            {
                "name": "auth-role",
                "path": "/app/",
                "arn": UNKNOWN,
                "id": UNKNOWN,
                "assumeRolePolicy": UNKNOWN,
                "inlinePolicies": inline,
                "managedPolicyArns": [UNKNOWN, READ_ONLY],
            },
            {"assumeRolePolicy": [POOL_URN], "managedPolicyArns": [POLICY_URN]},
            lambda n: (
                RoleFact(
                    n,
                    "auth-role",
                    "/app/",
                    None,
                    DocField(n, "assumeRolePolicy", UNKNOWN, (POOL_URN,)),
                    (InlineDoc("files", DocField(n, "inlinePolicies[0].policy", objects_doc())),),
                    (None,),
                ),
                ManagedAttachment(
                    n,
                    (Ref((), (n.urn,)),),
                    (Ref((UNKNOWN,), (POLICY_URN,)), Ref((READ_ONLY,), (POLICY_URN,))),
                    own=True,
                ),
            ),
        ),
        (
            "role-deployed",
            T.ROLE,
            {
                "name": "auth-role",
                "arn": f"arn:aws:iam::{ACCOUNT}:role/auth-role",
                "id": "auth-role",
                "assumeRolePolicy": TRUST,
            },
            {},
            lambda n: (
                RoleFact(
                    n,
                    "auth-role",
                    "/",
                    f"arn:aws:iam::{ACCOUNT}:role/auth-role",
                    DocField(n, "assumeRolePolicy", TRUST),
                    (),
                    ("auth-role",),
                ),
                ManagedAttachment(n, (Ref((), (n.urn,)),), (), own=True),
            ),
        ),
        (
            "role-computed-inline-list",
            T.ROLE,
            {"name": UNKNOWN, "inlinePolicies": UNKNOWN},
            {"inlinePolicies": [BUCKET_URN]},
            lambda n: (
                RoleFact(
                    n,
                    None,
                    "/",
                    None,
                    DocField(n, "assumeRolePolicy", None),
                    (InlineDoc(None, DocField(n, "inlinePolicies", UNKNOWN, (BUCKET_URN,))),),
                    (None,),
                ),
                ManagedAttachment(n, (Ref((), (n.urn,)),), (), own=True),
            ),
        ),
    ]


def _iam_cases() -> list[Case]:
    pa_arn = f"arn:aws:iam::{ACCOUNT}:policy/files-access"
    return [
        (
            "policy-preview",
            T.POLICY,
            {"name": "files-access", "arn": UNKNOWN, "policy": objects_doc()},
            {"policy": [BUCKET_URN]},
            lambda n: (
                PolicyFact(n, "files-access", None, DocField(n, "policy", objects_doc(), (BUCKET_URN,))),
            ),
        ),
        (
            "policy-deployed",
            T.POLICY,
            {"name": "files-access", "arn": pa_arn, "policy": objects_doc()},
            {},
            lambda n: (PolicyFact(n, "files-access", pa_arn, DocField(n, "policy", objects_doc())),),
        ),
        (
            "role-policy-preview",
            T.ROLE_POLICY,
            {"role": "auth-role", "policy": UNKNOWN},
            {"role": [ROLE_URN], "policy": [BUCKET_URN]},
            lambda n: (
                RoleDocument(
                    n, Ref(("auth-role",), (ROLE_URN,)), DocField(n, "policy", UNKNOWN, (BUCKET_URN,))
                ),
            ),
        ),
        (
            "role-policy-deployed",
            T.ROLE_POLICY,
            {"role": "auth-role", "policy": objects_doc()},
            {},
            lambda n: (RoleDocument(n, Ref(("auth-role",)), DocField(n, "policy", objects_doc())),),
        ),
        (
            "rpa-preview",
            T.ROLE_POLICY_ATTACHMENT,
            {"role": "auth-role", "policyArn": UNKNOWN},
            {"role": [ROLE_URN], "policyArn": [POLICY_URN]},
            lambda n: (
                ManagedAttachment(n, (Ref(("auth-role",), (ROLE_URN,)),), (Ref((UNKNOWN,), (POLICY_URN,)),)),
            ),
        ),
        (
            "rpa-deployed",
            T.ROLE_POLICY_ATTACHMENT,
            {"role": "auth-role", "policyArn": pa_arn},
            {},
            lambda n: (ManagedAttachment(n, (Ref(("auth-role",)),), (Ref((pa_arn,)),)),),
        ),
        (
            "rpae-mixed-list",
            T.ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
            {"roleName": "auth-role", "policyArns": [READ_ONLY, UNKNOWN]},
            {"policyArns": [POLICY_URN]},
            lambda n: (
                ManagedAttachment(
                    n,
                    (Ref(("auth-role",)),),
                    (Ref((READ_ONLY,), (POLICY_URN,)), Ref((UNKNOWN,), (POLICY_URN,))),
                ),
            ),
        ),
        (
            "policy-attachment-mixed-roles",
            T.POLICY_ATTACHMENT,
            {"roles": ["auth-role", UNKNOWN], "policyArn": pa_arn},
            {"roles": [ROLE_URN]},
            lambda n: (ManagedAttachment(n, (Ref(("auth-role", UNKNOWN), (ROLE_URN,)),), (Ref((pa_arn,)),)),),
        ),
        (
            "role-policies-exclusive-adds-nothing",
            T.ROLE_POLICIES_EXCLUSIVE,
            {"roleName": "auth-role", "policyNames": ["files"]},
            {},
            lambda n: (),
        ),
    ]


def _s3_cases() -> list[Case]:
    bp = doc(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:role/auth-role"},
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::files/users/{SUB}/*",
        }
    )
    flags = {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": UNKNOWN,
        "restrictPublicBuckets": True,
    }
    sse = {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}
    cases: list[Case] = []
    for t in T.BUCKET_TYPES:
        short = t.split(":")[-1]
        cases += [
            (
                f"{short}-preview",
                t,
                {"bucket": "files", "arn": UNKNOWN, "id": UNKNOWN},
                {},
                lambda n: (BucketFact(n, "files", None, (None,)),),
            ),
            (
                f"{short}-deployed-inline-policy-and-encryption",
                t,
                {
                    "bucket": "files",
                    "arn": "arn:aws:s3:::files",
                    "id": "files",
                    "policy": bp,
                    "serverSideEncryptionConfiguration": sse,
                },
                {},
                lambda n: (
                    BucketFact(n, "files", "arn:aws:s3:::files", ("files",)),
                    BucketDocument(n, Ref((), (n.urn,)), DocField(n, "policy", bp), inline=True),
                    BucketSetting(n, "encryption", Ref((), (n.urn,))),
                ),
            ),
            (
                f"{short}-empty-policy-and-encryption-are-none",
                t,
                {"bucket": UNKNOWN, "policy": "", "serverSideEncryptionConfiguration": []},
                {},
                lambda n: (BucketFact(n, None, None, (None,)),),
            ),
        ]
    cases += [
        (
            "bucket-policy-preview",
            T.BUCKET_POLICY,
            {"bucket": "files", "policy": UNKNOWN},
            {"bucket": [BUCKET_URN], "policy": [BUCKET_URN, ROLE_URN]},
            lambda n: (
                BucketDocument(
                    n, Ref(("files",), (BUCKET_URN,)), DocField(n, "policy", UNKNOWN, (BUCKET_URN, ROLE_URN))
                ),
            ),
        ),
        (
            "bucket-policy-deployed",
            T.BUCKET_POLICY,
            {"bucket": "files", "policy": bp},
            {},
            lambda n: (BucketDocument(n, Ref(("files",)), DocField(n, "policy", bp)),),
        ),
        (
            "public-access-block",
            T.PUBLIC_ACCESS_BLOCK,
            {"bucket": "files", **flags},
            {"bucket": [BUCKET_URN]},
            lambda n: (BucketSetting(n, "public_access_blocks", Ref(("files",), (BUCKET_URN,)), flags),),
        ),
        (
            "ownership",
            T.OWNERSHIP_CONTROLS,
            {"bucket": "files", "rule": {"objectOwnership": "BucketOwnerEnforced"}},
            {},
            lambda n: (
                BucketSetting(n, "ownership", Ref(("files",)), {"objectOwnership": "BucketOwnerEnforced"}),
            ),
        ),
        (
            "ownership-computed-rule",
            T.OWNERSHIP_CONTROLS,
            {"bucket": UNKNOWN, "rule": UNKNOWN},
            {"bucket": [BUCKET_URN]},
            lambda n: (
                BucketSetting(n, "ownership", Ref((UNKNOWN,), (BUCKET_URN,)), {"objectOwnership": None}),
            ),
        ),
    ]
    for t in T.ENCRYPTION_TYPES:
        cases.append(
            (
                f"{t.split(':')[-1]}",
                t,
                {"bucket": "files", "rules": []},
                {"bucket": [BUCKET_URN]},
                lambda n: (BucketSetting(n, "encryption", Ref(("files",), (BUCKET_URN,))),),
            )
        )
    return cases


def _cognito_cases() -> list[Case]:
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/auth-role"
    mappings = [{"identityProvider": "p", "type": "Rules", "mappingRules": [{"roleArn": role_arn}, "junk"]}]
    return [
        ("pool-preview", T.IDENTITY_POOL, {"id": UNKNOWN}, {}, lambda n: (PoolFact(n, None),)),
        (
            "pool-deployed",
            T.IDENTITY_POOL,
            {"id": "us-east-1:pool"},
            {},
            lambda n: (PoolFact(n, "us-east-1:pool"),),
        ),
        (
            "role-attachment-preview",
            T.ROLE_ATTACHMENT,
            {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}, "roleMappings": UNKNOWN},
            {"identityPoolId": [POOL_URN], "roles": [ROLE_URN], "roleMappings": [ROLE_URN]},
            lambda n: (
                RoleAttachmentFact(
                    n,
                    None,
                    Ref((UNKNOWN,), (POOL_URN,)),
                    (
                        RoleRoute(Ref((UNKNOWN,)), "as its 'authenticated' role"),
                        RoleRoute(Ref((), (ROLE_URN,)), "in its roles"),
                        RoleRoute(Ref((), (ROLE_URN,)), "in its role mappings"),
                    ),
                ),
            ),
        ),
        (
            "role-attachment-deployed",
            T.ROLE_ATTACHMENT,
            {
                "identityPoolId": "us-east-1:pool",
                "roles": {"authenticated": role_arn},
                "roleMappings": mappings,
            },
            {},
            lambda n: (
                RoleAttachmentFact(
                    n,
                    "us-east-1:pool",
                    Ref(("us-east-1:pool",)),
                    (
                        RoleRoute(Ref((role_arn,)), "as its 'authenticated' role"),
                        RoleRoute(Ref((role_arn,)), "in a role-mapping rule"),
                    ),
                ),
            ),
        ),
        (
            "user-group-preview",
            T.USER_GROUP,
            {"name": "admins", "userPoolId": UNKNOWN, "roleArn": UNKNOWN},
            {"roleArn": [ROLE_URN]},
            lambda n: (UserGroupFact(n, "admins", Ref((UNKNOWN,), (ROLE_URN,))),),
        ),
        (
            "user-group-deployed",
            T.USER_GROUP,
            {"name": "admins", "userPoolId": "us-east-1_x", "roleArn": role_arn},
            {},
            lambda n: (UserGroupFact(n, "admins", Ref((role_arn,))),),
        ),
        (
            "user-group-without-role",
            T.USER_GROUP,
            {"name": "readers", "userPoolId": "us-east-1_x"},
            {},
            lambda n: (UserGroupFact(n, "readers", Ref((None,))),),
        ),
    ]


# --- aws-native (pulumi-aws-native): documents are objects, names known at preview, ARNs/ids not ----

OBJECTS = json.loads(objects_doc())
NATIVE_ROLE_URN = urn(T.NATIVE_ROLE, "auth-role")
MANAGED_URN = urn(T.NATIVE_MANAGED_POLICY, "versions")


def _native_iam_cases() -> list[Case]:
    policies = [{"policyName": "files", "policyDocument": OBJECTS}]
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/auth-role-1a2b3c4"
    managed_arn = f"arn:aws:iam::{ACCOUNT}:policy/versions-5d6e7f8"
    return [
        ("native-role-preview", T.NATIVE_ROLE,
         {"roleName": "auth-role-1a2b3c4", "arn": UNKNOWN, "assumeRolePolicyDocument": UNKNOWN,
          "policies": policies, "managedPolicyArns": [UNKNOWN, READ_ONLY]},
         {"assumeRolePolicyDocument": [POOL_URN], "managedPolicyArns": [MANAGED_URN]},
         lambda n: (
             RoleFact(n, "auth-role-1a2b3c4", "/", None,
                      DocField(n, "assumeRolePolicyDocument", UNKNOWN, (POOL_URN,)),
                      (InlineDoc("files", DocField(n, "policies[0].policyDocument", OBJECTS)),)),
             ManagedAttachment(n, (Ref((), (n.urn,)),),
                               (Ref((UNKNOWN,), (MANAGED_URN,)), Ref((READ_ONLY,), (MANAGED_URN,))),
                               own=True),
         )),
        ("native-role-deployed", T.NATIVE_ROLE,
         {"roleName": "auth-role-1a2b3c4", "path": "/app/", "arn": role_arn,
          "assumeRolePolicyDocument": json.loads(TRUST), "managedPolicyArns": [managed_arn]},
         {},
         lambda n: (
             RoleFact(n, "auth-role-1a2b3c4", "/app/", role_arn,
                      DocField(n, "assumeRolePolicyDocument", json.loads(TRUST))),
             ManagedAttachment(n, (Ref((), (n.urn,)),), (Ref((managed_arn,)),), own=True),
         )),
        ("native-role-policy-preview", T.NATIVE_ROLE_POLICY,
         {"roleName": "auth-role-1a2b3c4", "policyName": "files", "policyDocument": OBJECTS},
         {"roleName": [NATIVE_ROLE_URN], "policyDocument": [BUCKET_URN]},
         lambda n: (RoleDocument(n, Ref(("auth-role-1a2b3c4",), (NATIVE_ROLE_URN,)),
                                 DocField(n, "policyDocument", OBJECTS, (BUCKET_URN,))),)),
        ("native-managed-policy-roles-preview", T.NATIVE_MANAGED_POLICY,
         {"managedPolicyName": "versions-5d6e7f8", "policyArn": UNKNOWN, "policyDocument": OBJECTS,
          "roles": ["auth-role-1a2b3c4"]},
         {"roles": [NATIVE_ROLE_URN]},
         lambda n: (
             PolicyFact(n, "versions-5d6e7f8", None, DocField(n, "policyDocument", OBJECTS)),
             ManagedAttachment(n, (Ref(("auth-role-1a2b3c4",), (NATIVE_ROLE_URN,)),), (Ref((), (n.urn,)),)),
         )),
        ("native-managed-policy-deployed-no-roles", T.NATIVE_MANAGED_POLICY,
         {"managedPolicyName": "versions-5d6e7f8", "policyArn": managed_arn, "policyDocument": objects_doc()},
         {},
         lambda n: (PolicyFact(n, "versions-5d6e7f8", managed_arn,
                               DocField(n, "policyDocument", objects_doc())),)),
    ]  # fmt: skip


def _native_s3_cases() -> list[Case]:
    block = {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True,
             "restrictPublicBuckets": "true"}  # fmt: skip
    hardened = {
        "bucketName": "files-1a2b3c4", "arn": UNKNOWN, "publicAccessBlockConfiguration": block,
        "bucketEncryption": {"serverSideEncryptionConfiguration": [
            {"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
        "ownershipControls": {"rules": [{"objectOwnership": "BucketOwnerEnforced"}]},
    }  # fmt: skip
    return [
        ("native-bucket-hardened-preview", T.NATIVE_BUCKET, hardened, {},
         lambda n: (
             BucketFact(n, "files-1a2b3c4", None),
             BucketSetting(n, "public_access_blocks", Ref((), (n.urn,)), block),
             BucketSetting(n, "encryption", Ref((), (n.urn,))),
             BucketSetting(n, "ownership", Ref((), (n.urn,)), {"objectOwnership": "BucketOwnerEnforced"}),
         )),
        ("native-bucket-bare-deployed", T.NATIVE_BUCKET,
         {"bucketName": "files-1a2b3c4", "arn": "arn:aws:s3:::files-1a2b3c4", "bucketEncryption": {},
          "ownershipControls": {"rules": []}},
         {},
         lambda n: (
             BucketFact(n, "files-1a2b3c4", "arn:aws:s3:::files-1a2b3c4"),
             BucketSetting(n, "ownership", Ref((), (n.urn,)), {"objectOwnership": None}),
         )),
        ("native-bucket-policy-object", T.NATIVE_BUCKET_POLICY,
         {"bucket": "files-1a2b3c4", "policyDocument": OBJECTS},
         {"bucket": [BUCKET_URN], "policyDocument": [NATIVE_ROLE_URN]},
         lambda n: (BucketDocument(n, Ref(("files-1a2b3c4",), (BUCKET_URN,)),
                                   DocField(n, "policyDocument", OBJECTS, (NATIVE_ROLE_URN,))),)),
        ("native-bucket-policy-json-text", T.NATIVE_BUCKET_POLICY,
         {"bucket": "files-1a2b3c4", "policyDocument": objects_doc()}, {},
         lambda n: (BucketDocument(n, Ref(("files-1a2b3c4",)),
                                   DocField(n, "policyDocument", objects_doc())),)),
    ]  # fmt: skip


def _native_cognito_cases() -> list[Case]:
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/auth-role-1a2b3c4"
    mappings = {"cognito-idp.us-east-1.amazonaws.com/us-east-1_x:client": {
        "type": "Rules", "ambiguousRoleResolution": "Deny",
        "rulesConfiguration": {"rules": [{"claim": "cognito:groups", "matchType": "Contains",
                                          "value": "admins", "roleArn": role_arn}]}}}  # fmt: skip
    return [
        ("native-pool-preview", T.NATIVE_IDENTITY_POOL, {"awsId": UNKNOWN}, {},
         lambda n: (PoolFact(n, None),)),
        ("native-pool-deployed", T.NATIVE_IDENTITY_POOL, {"awsId": "us-east-1:0000"}, {},
         lambda n: (PoolFact(n, "us-east-1:0000"),)),
        ("native-attachment-preview", T.NATIVE_ROLE_ATTACHMENT,
         {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}},
         {"identityPoolId": [POOL_URN], "roles": [NATIVE_ROLE_URN]},
         lambda n: (RoleAttachmentFact(n, None, Ref((UNKNOWN,), (POOL_URN,)), (
             RoleRoute(Ref((UNKNOWN,)), "as its 'authenticated' role"),
             RoleRoute(Ref((), (NATIVE_ROLE_URN,)), "in its roles"))),)),
        ("native-attachment-role-mappings-deployed", T.NATIVE_ROLE_ATTACHMENT,
         {"identityPoolId": "us-east-1:0000", "roleMappings": mappings}, {},
         lambda n: (RoleAttachmentFact(n, "us-east-1:0000", Ref(("us-east-1:0000",)), (
             RoleRoute(Ref((role_arn,)), "in a role-mapping rule"),)),)),
        ("native-user-pool-group", T.NATIVE_USER_GROUP,
         {"groupName": "admins", "userPoolId": UNKNOWN, "roleArn": UNKNOWN}, {"roleArn": [NATIVE_ROLE_URN]},
         lambda n: (UserGroupFact(n, "admins", Ref((UNKNOWN,), (NATIVE_ROLE_URN,))),)),
    ]  # fmt: skip


CASES = (
    _role_cases() + _iam_cases() + _s3_cases() + _cognito_cases()
    + _native_iam_cases() + _native_s3_cases() + _native_cognito_cases()
)  # fmt: skip


@pytest.mark.parametrize(
    ("rtype", "props", "deps", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_adapter_table(rtype, props, deps, expected):
    n = node(rtype, "r", props, deps)
    assert adapt(n) == expected(n)


def test_every_registered_type_has_a_table_here():
    """A new adapter (of any provider) comes with its rows in the tables above."""
    assert {c[1] for c in CASES} == set(KEYS)


def test_adapters_read_only_their_declared_properties():
    """to_node snapshots exactly the declared keys (what the adapter reads), so nothing else is read or
    deserialized; a type without an adapter keeps no properties at all."""

    class Props(dict):
        def __getitem__(self, key: str) -> Any:
            seen.append(key)
            return super().__getitem__(key)

    class Resource:
        def __init__(self, rtype: str, props: dict[str, Any]) -> None:
            self.urn, self.resource_type, self.name = urn(rtype, "r"), rtype, "r"
            self.props, self.property_dependencies = Props(props), {"other": [ROLE_URN]}

    for rtype, keys in KEYS.items():
        seen: list[str] = []
        n = to_node(Resource(rtype, {k: "x" for k in (*keys, "tags", "other")}))
        assert n is not None and set(n.props) == set(keys) and seen == list(keys)
        assert n.property_dependencies == {}  # "other" is not read, so its dependencies are not kept
    seen = []
    n = to_node(Resource("aws:s3/bucketVersioning:BucketVersioning", {"bucket": "files"}))
    assert n is not None and n.props == {} and seen == []


def test_to_node_turns_sdk_unknowns_into_the_sentinel():
    from pulumi_policy.deserialize import deserialize_properties
    from pulumi_policy.proxy import unknown_checking_proxy

    class Resource:
        urn, resource_type, name = ROLE_URN, T.ROLE, "auth-role"
        props = unknown_checking_proxy(
            deserialize_properties(
                {"name": "auth-role", "arn": UNKNOWN, "managedPolicyArns": [READ_ONLY, UNKNOWN]}
            )
        )
        property_dependencies = {"managedPolicyArns": [Node(POLICY_URN, T.POLICY, "p")]}

    n = to_node(Resource())
    assert n is not None
    assert n.props == {"name": "auth-role", "arn": UNKNOWN, "managedPolicyArns": [READ_ONLY, UNKNOWN]}
    assert n.deps("managedPolicyArns") == (POLICY_URN,)
