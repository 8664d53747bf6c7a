"""Edges across providers (issue 12): aws-native resources relate to each other and to classic ones by
property dependencies first and by known names and ARNs second, as classic resources do. Each edge is
resolved once by a dependency alone (first preview: ARNs unknown) and once by a known value alone (no
property dependencies at all). Also: the identity-pool-settings resource policy judges a native pool."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cognito_s3_guard.graph import Graph, Node, build_graph
from cognito_s3_guard.graph import tokens as T
from cognito_s3_guard.policies import POLICIES_BY_NAME
from cognito_s3_guard.reach import role_reach

from offline.model import UNKNOWN

ACCOUNT = "123456789012"
SUB = "${cognito-identity.amazonaws.com:sub}"
ROLE_NAME, BUCKET_NAME = "auth-role-1a2b3c4", "files-5d6e7f8"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
OBJECT_GRANT = {
    "Effect": "Allow",
    "Action": "s3:GetObject",
    "Resource": f"arn:aws:s3:::{BUCKET_NAME}/users/{SUB}/*",
}
OBJECTS = {"Version": "2012-10-17", "Statement": [OBJECT_GRANT]}
BY = pytest.mark.parametrize("by", ["dependency", "name"])


def urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:test::files::{rtype}::{name}"


def node(rtype: str, name: str, props: dict[str, Any], deps: dict[str, list[str]] | None = None) -> Node:
    return Node(urn(rtype, name), rtype, name, props, deps or {})


def native_role(preview: bool = True, **extra: Any) -> Node:
    arn = UNKNOWN if preview else ROLE_ARN
    return node(T.NATIVE_ROLE, "auth-role", {"roleName": ROLE_NAME, "arn": arn, **extra})


def classic_role(preview: bool = True) -> Node:
    arn = UNKNOWN if preview else ROLE_ARN
    return node(T.ROLE, "auth-role", {"name": ROLE_NAME, "arn": arn, "id": UNKNOWN if preview else ROLE_NAME})


def native_bucket() -> Node:
    return node(T.NATIVE_BUCKET, "files", {"bucketName": BUCKET_NAME, "arn": UNKNOWN})


def deps_if(by: str, **deps: Node) -> dict[str, list[str]]:
    """Property dependencies on the given resources when resolving by dependency; none by name."""
    return {k: [n.urn] for k, n in deps.items()} if by == "dependency" else {}


def sources(graph: Graph, role: Node) -> list[str]:
    return [s.route for s in graph.roles[role.urn].sources]


@BY
def test_a_managed_policy_attaches_itself_to_roles_by_their_names(by: str) -> None:
    role = native_role()
    managed = node(
        T.NATIVE_MANAGED_POLICY,
        "versions",
        {
            "managedPolicyName": "versions-0a1b2c3",
            "policyArn": UNKNOWN,
            "policyDocument": OBJECTS,
            "roles": [ROLE_NAME],
        },
        deps_if(by, roles=role),
    )
    graph = build_graph([role, managed])
    [route] = sources(graph, role)
    assert "ManagedPolicy 'versions'" in route and "attached by ManagedPolicy 'versions'" in route
    assert graph.roles[role.urn].sources[0].doc.known


@pytest.mark.parametrize("shape", ["preview: unknown policyArn, a dependency", "deployed: the ARN alone"])
def test_a_role_names_a_managed_policy_in_managed_policy_arns(shape: str) -> None:
    preview = shape.startswith("preview")
    arn = f"arn:aws:iam::{ACCOUNT}:policy/versions-0a1b2c3"
    managed = node(
        T.NATIVE_MANAGED_POLICY,
        "versions",
        {
            "managedPolicyName": "versions-0a1b2c3",
            "policyArn": UNKNOWN if preview else arn,
            "policyDocument": OBJECTS,
        },
    )
    role = native_role(preview, managedPolicyArns=[UNKNOWN if preview else arn])
    if preview:
        role.property_dependencies = {"managedPolicyArns": [managed.urn]}
    graph = build_graph([managed, role])
    assert sources(graph, role) == ["aws-native:iam:ManagedPolicy 'versions' (managedPolicyArns of the role)"]


def test_an_aws_managed_arn_in_a_native_role_reaches_every_bucket() -> None:
    role = native_role(managedPolicyArns=["arn:aws:iam::aws:policy/AmazonS3FullAccess"])
    graph = build_graph([role, native_bucket()])
    reach = role_reach(graph.roles[role.urn], graph)
    assert urn(T.NATIVE_BUCKET, "files") in reach.grants


@BY
@pytest.mark.parametrize("role_of", [native_role, classic_role], ids=["native-role", "classic-role"])
def test_a_role_policy_of_either_provider_reaches_a_role_of_either(by: str, role_of: Any) -> None:
    role = role_of()
    native_doc = node(
        T.NATIVE_ROLE_POLICY,
        "files",
        {"roleName": ROLE_NAME, "policyDocument": OBJECTS},
        deps_if(by, roleName=role),
    )
    classic_doc = node(
        T.ROLE_POLICY,
        "files-classic",
        {"role": ROLE_NAME, "policy": json.dumps(OBJECTS)},
        deps_if(by, role=role),
    )
    graph = build_graph([role, native_doc, classic_doc, native_bucket()])
    assert sources(graph, role) == [
        "aws:iam/rolePolicy:RolePolicy 'files-classic'",
        "aws-native:iam:RolePolicy 'files'",
    ]
    assert urn(T.NATIVE_BUCKET, "files") in role_reach(graph.roles[role.urn], graph).grants


@BY
def test_a_classic_bucket_policy_on_a_native_bucket(by: str) -> None:
    bucket = native_bucket()
    policy = node(
        T.BUCKET_POLICY,
        "files-policy",
        {"bucket": BUCKET_NAME, "policy": json.dumps(OBJECTS)},
        deps_if(by, bucket=bucket),
    )
    graph = build_graph([bucket, policy])
    assert [s.urn for s in graph.buckets[bucket.urn].policies] == [policy.urn]


@BY
@pytest.mark.parametrize("attachment_type", [T.ROLE_ATTACHMENT, T.NATIVE_ROLE_ATTACHMENT])
def test_an_attachment_of_either_provider_makes_a_native_role_a_cognito_role(
    by: str, attachment_type: str
) -> None:
    role = native_role(preview=by == "dependency")
    value = UNKNOWN if by == "dependency" else ROLE_ARN
    attachment = node(
        attachment_type,
        "roles",
        {"identityPoolId": UNKNOWN, "roles": {"authenticated": value}},
        deps_if(by, roles=role),
    )
    graph = build_graph([role, attachment])
    assert graph.roles[role.urn].cognito_reasons[0].startswith(f"{attachment_type.split(':')[-1]} 'roles'")


def test_native_role_mapping_rules_name_roles_by_arn() -> None:
    role = classic_role(preview=False)
    rules = {
        "rules": [{"claim": "cognito:groups", "matchType": "Contains", "value": "a", "roleArn": ROLE_ARN}]
    }
    attachment = node(
        T.NATIVE_ROLE_ATTACHMENT,
        "roles",
        {
            "identityPoolId": "us-east-1:0000",
            "roleMappings": {"provider": {"type": "Rules", "rulesConfiguration": rules}},
        },
    )
    graph = build_graph([role, attachment])
    assert graph.roles[role.urn].cognito_reasons == [
        "IdentityPoolRoleAttachment 'roles' attaches it in a role-mapping rule"
    ]
    assert graph.roles[role.urn].pools == [(attachment.urn, "us-east-1:0000")]


@BY
def test_a_native_user_pool_group_records_its_role(by: str) -> None:
    role = native_role(preview=by == "dependency")
    group = node(
        T.NATIVE_USER_GROUP,
        "admins",
        {"groupName": "admins", "roleArn": UNKNOWN if by == "dependency" else ROLE_ARN},
        deps_if(by, roleArn=role),
    )
    graph = build_graph([role, group])
    assert graph.roles[role.urn].groups == [group] and group.urn in graph.groups


class PoolArgs:
    """What the SDK hands a resource policy for one resource."""

    def __init__(self, rtype: str, props: dict[str, Any]) -> None:
        self.urn, self.resource_type, self.name, self.props = (
            urn(rtype, "identities"),
            rtype,
            "identities",
            props,
        )

    def get_config(self) -> dict[str, Any]:
        return {}


@pytest.mark.parametrize("rtype", [T.IDENTITY_POOL, T.NATIVE_IDENTITY_POOL])
def test_identity_pool_settings_judges_both_pool_types(rtype: str) -> None:
    reported: list[str] = []
    props = {"allowUnauthenticatedIdentities": True, "allowClassicFlow": False, "awsId": UNKNOWN}
    POLICIES_BY_NAME["identity-pool-settings"].validate(
        PoolArgs(rtype, props), lambda m, _u: reported.append(m)
    )
    assert len(reported) == 1 and reported[0].startswith("[identity-pool-settings]")
