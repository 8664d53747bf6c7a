"""The native and mixed test programs run under mocks in both shapes, and the pack will see what it needs.

What these tests pin down (issue 12, phase 1) is what the engine hands an analyzer for aws-native
resources: the property names, which values are known at a first preview (provider-assigned names,
documents built from them) and which are not (ARNs, ``awsId``, ``clientId``, documents built from them),
and the property dependencies that relate resources when values are unknown. ``CULPRITS`` names, for
each broken variant, the rule and the resource the pack must block on; phase 2 runs the pack on them.
"""

from __future__ import annotations

import re

import pytest
from native_runs import one, run_native
from native_sdk_names import NATIVE_TYPES

from offline.mockrun import AwsMocks, registered
from offline.model import UNKNOWN

pytest.importorskip("pulumi_aws_native")

SHAPE = pytest.mark.parametrize("shape", ["preview", "deployed"])
ROWS = {row.token: row for row in NATIVE_TYPES}
AUTONAME = re.compile(r"^(?P<logical>.+)-[0-9a-f]{7}$")
SUB = "${cognito-identity.amazonaws.com:sub}"

BUCKET, BUCKET_POLICY = "aws-native:s3:Bucket", "aws-native:s3:BucketPolicy"
ROLE, ROLE_POLICY, MANAGED = (
    "aws-native:iam:Role",
    "aws-native:iam:RolePolicy",
    "aws-native:iam:ManagedPolicy",
)
POOL, ATTACHMENT = "aws-native:cognito:IdentityPool", "aws-native:cognito:IdentityPoolRoleAttachment"
USER_POOL, CLIENT = "aws-native:cognito:UserPool", "aws-native:cognito:UserPoolClient"

#: native-stack mistake -> (rule that must block, culprit type, culprit logical name).
CULPRITS = {
    "no-bucket-policy": ("granting-bucket-policy", BUCKET, "files"),
    "widened-grant": ("no-widening", BUCKET_POLICY, "files-policy"),
    "no-aud": ("cognito-role-trust", ROLE, "authenticated"),
    "managed-policy-roles": ("granting-bucket-policy", BUCKET_POLICY, "files-policy"),
}
MIXES = ("native-bucket-classic-policy", "classic-role-native-bucket", "native-role-classic-attachment")


def _types(capture) -> set[str]:
    return {r.type for r in registered(capture)}


# --- every program runs, in both shapes ----------------------------------------------------------


@SHAPE
@pytest.mark.parametrize("mistake", ["none", *CULPRITS])
def test_native_stack_runs_with_native_resources_only(shape: str, mistake: str) -> None:
    capture = run_native("native_stack", shape, mistake=mistake)
    types = _types(capture)
    assert all(t.startswith("aws-native:") for t in types), sorted(types)
    assert {BUCKET, ROLE, ROLE_POLICY, POOL, ATTACHMENT, USER_POOL, CLIENT} <= types
    assert (BUCKET_POLICY in types) == (mistake != "no-bucket-policy")
    assert (MANAGED in types) == (mistake == "managed-policy-roles")
    _, culprit_type, culprit_name = CULPRITS.get(mistake, ("", BUCKET, "files"))
    assert one(capture, culprit_type, culprit_name)


@SHAPE
@pytest.mark.parametrize("mix", MIXES)
@pytest.mark.parametrize("mistake", ["none", "no-bucket-policy", "widened-grant"])
def test_mixed_stack_runs_with_both_providers(shape: str, mix: str, mistake: str) -> None:
    types = _types(run_native("mixed", shape, mix=mix, mistake=mistake))
    assert any(t.startswith("aws-native:") for t in types) and any(t.startswith("aws:") for t in types)
    expected = {
        "native-bucket-classic-policy": {BUCKET, "aws:s3/bucketPolicy:BucketPolicy", "aws:iam/role:Role"},
        "classic-role-native-bucket": {BUCKET, BUCKET_POLICY, "aws:iam/rolePolicy:RolePolicy"},
        "native-role-classic-attachment": {
            ROLE,
            ROLE_POLICY,
            "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
            "aws:s3/bucket:Bucket",
        },
    }[mix]
    if mistake == "no-bucket-policy":
        expected = {t for t in expected if "ucketPolicy" not in t}
        assert not {t for t in types if t.endswith("ucketPolicy:BucketPolicy") or t == BUCKET_POLICY}
    assert expected <= types


# --- what is known at a first preview, and what the deployed shape holds -------------------------


@SHAPE
@pytest.mark.parametrize("mistake", ["none", "managed-policy-roles"])
def test_computed_outputs_are_unknown_at_preview_and_known_deployed(shape: str, mistake: str) -> None:
    """Every output-only property of the SDK (the table's ``computed``) is unknown at a first preview."""
    for record in registered(run_native("native_stack", shape, mistake=mistake)):
        row = ROWS[record.type]
        for prop in row.computed:
            if prop == "clientSecret":  # only for a client that generates a secret
                assert prop not in record.outputs
                continue
            value = record.outputs.get(prop)
            if shape == "preview":
                assert value == UNKNOWN, f"{record.type}.{prop} = {value!r} at preview"
            else:
                assert value not in (None, UNKNOWN), f"{record.type}.{prop} missing once deployed"


@SHAPE
def test_provider_names_are_known_at_preview(shape: str) -> None:
    capture = run_native("native_stack", shape, mistake="managed-policy-roles")
    for record in registered(capture):
        prop = ROWS[record.type].autoname
        if prop is None or record.type == POOL:  # the program names its identity pool
            continue
        match = AUTONAME.match(record.inputs[prop])
        assert match and match["logical"] == record.name, f"{record.type}.{prop} = {record.inputs[prop]!r}"
        assert record.outputs[prop] == record.inputs[prop]
    assert one(capture, POOL, "identities").inputs["identityPoolName"] == "native_stack_identities"


@SHAPE
def test_bucket_inputs_the_hardening_rule_reads(shape: str) -> None:
    capture = run_native("native_stack", shape)
    bucket = one(capture, BUCKET, "files")
    assert bucket.inputs["publicAccessBlockConfiguration"] == {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert bucket.inputs["ownershipControls"] == {"rules": [{"objectOwnership": "BucketOwnerEnforced"}]}
    rule = bucket.inputs["bucketEncryption"]["serverSideEncryptionConfiguration"][0]
    assert rule["serverSideEncryptionByDefault"]["sseAlgorithm"] == "AES256"
    assert bucket.inputs["versioningConfiguration"] == {"status": "Enabled"}
    if shape == "deployed":
        assert bucket.outputs["arn"] == f"arn:aws:s3:::{bucket.inputs['bucketName']}"
        assert bucket.outputs["arn"] != bucket.inputs["bucketName"]


@SHAPE
def test_documents_are_objects_known_where_they_depend_on_names(shape: str) -> None:
    capture = run_native("native_stack", shape)
    bucket, role = one(capture, BUCKET, "files"), one(capture, ROLE, "authenticated")
    policy, grant = (
        one(capture, BUCKET_POLICY, "files-policy"),
        one(capture, ROLE_POLICY, "authenticated-files"),
    )
    bucket_arn = f"arn:aws:s3:::{bucket.inputs['bucketName']}"
    role_arn = f"arn:aws:iam::123456789012:role/{role.inputs['roleName']}"

    assert grant.inputs["roleName"] == role.inputs["roleName"]  # a role NAME, known at preview
    assert grant.property_dependencies["roleName"] == [role.urn]
    assert grant.property_dependencies["policyDocument"] == [bucket.urn]
    objects = grant.inputs["policyDocument"]["Statement"][0]
    assert objects["Resource"] == f"{bucket_arn}/users/{SUB}/*"

    assert policy.inputs["bucket"] == bucket.inputs["bucketName"]
    assert policy.property_dependencies["bucket"] == [bucket.urn]
    assert set(policy.property_dependencies["policyDocument"]) == {bucket.urn, role.urn}
    document = policy.inputs["policyDocument"]
    assert isinstance(document, dict), "aws-native's policyDocument is an object, not JSON text"
    principals = [s["Principal"] for s in document["Statement"] if s["Effect"] == "Allow"]
    assert principals and all(p == {"AWS": role_arn} for p in principals)
    deny = document["Statement"][0]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    if shape == "deployed":
        assert role.outputs["arn"] == role_arn


@SHAPE
def test_trust_and_attachment_depend_on_the_pool_id(shape: str) -> None:
    capture = run_native("native_stack", shape)
    pool, role = one(capture, POOL, "identities"), one(capture, ROLE, "authenticated")
    attachment = one(capture, ATTACHMENT, "identities-roles")

    assert role.property_dependencies["assumeRolePolicyDocument"] == [pool.urn]
    assert attachment.property_dependencies["identityPoolId"] == [pool.urn]
    assert attachment.property_dependencies["roles"] == [role.urn]
    assert attachment.inputs["roles"] == {
        "authenticated": f"arn:aws:iam::123456789012:role/{role.inputs['roleName']}"
    }
    if shape == "preview":
        assert role.inputs["assumeRolePolicyDocument"] == UNKNOWN
        assert attachment.inputs["identityPoolId"] == UNKNOWN
        return
    pool_id = pool.outputs["awsId"]
    assert re.fullmatch(r"us-east-1:[0-9a-f-]{36}", pool_id)
    condition = role.inputs["assumeRolePolicyDocument"]["Statement"][0]["Condition"]
    assert condition["StringEquals"] == {"cognito-identity.amazonaws.com:aud": pool_id}
    assert attachment.inputs["identityPoolId"] == pool_id


@SHAPE
def test_identity_pool_settings_and_client_ids(shape: str) -> None:
    capture = run_native("native_stack", shape)
    pool, client = one(capture, POOL, "identities"), one(capture, CLIENT, "web")
    user_pool = one(capture, USER_POOL, "users")
    assert pool.inputs["allowUnauthenticatedIdentities"] is False
    assert pool.inputs["allowClassicFlow"] is False
    (provider,) = pool.inputs["cognitoIdentityProviders"]
    assert provider["serverSideTokenCheck"] is True
    assert set(pool.property_dependencies["cognitoIdentityProviders"]) == {client.urn, user_pool.urn}
    if shape == "preview":
        assert provider["clientId"] == UNKNOWN and provider["providerName"] == UNKNOWN
        return
    assert provider["clientId"] == client.outputs["clientId"]
    assert provider["providerName"] == user_pool.outputs["providerName"]
    assert provider["providerName"].endswith("/" + user_pool.outputs["userPoolId"])
    # The resource id of a client is its primary identifier (userPoolId|clientId), not the client id.
    computed = AwsMocks(preview=False).computed_outputs(CLIENT, "web", dict(client.inputs))
    assert computed["clientId"] == client.outputs["clientId"]
    assert computed["id"] == f"{user_pool.outputs['userPoolId']}|{client.outputs['clientId']}"


@SHAPE
def test_no_aud_trust_is_known_at_preview(shape: str) -> None:
    role = one(run_native("native_stack", shape, mistake="no-aud"), ROLE, "authenticated")
    (statement,) = role.inputs["assumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Federated": "cognito-identity.amazonaws.com"}
    assert "StringEquals" not in statement["Condition"]
    assert (
        "assumeRolePolicyDocument" not in role.property_dependencies
        or not role.property_dependencies["assumeRolePolicyDocument"]
    )


@SHAPE
def test_managed_policy_attaches_through_role_names(shape: str) -> None:
    capture = run_native("native_stack", shape, mistake="managed-policy-roles")
    role, managed = one(capture, ROLE, "authenticated"), one(capture, MANAGED, "authenticated-versions")
    assert managed.inputs["roles"] == [role.inputs["roleName"]]
    assert managed.property_dependencies["roles"] == [role.urn]
    (statement,) = managed.inputs["policyDocument"]["Statement"]
    assert statement["Action"] == "s3:GetObjectVersion"
    if shape == "deployed":
        assert managed.outputs["policyArn"].startswith(
            "arn:aws:iam::123456789012:policy/authenticated-versions-"
        )


@SHAPE
def test_widened_variant_grants_every_folder(shape: str) -> None:
    policy = one(run_native("native_stack", shape, mistake="widened-grant"), BUCKET_POLICY, "files-policy")
    resources = [
        s.get("Resource") for s in policy.inputs["policyDocument"]["Statement"] if s["Effect"] == "Allow"
    ]
    assert any(isinstance(r, str) and r.endswith("/users/*/*") for r in resources)


# --- mixed stacks: relations across providers -----------------------------------------------------


@SHAPE
def test_classic_bucket_policy_on_a_native_bucket(shape: str) -> None:
    capture = run_native("mixed", shape, mix="native-bucket-classic-policy")
    bucket = one(capture, BUCKET, "files")
    policy = one(capture, "aws:s3/bucketPolicy:BucketPolicy", "files-policy")
    assert policy.inputs["bucket"] == bucket.inputs["bucketName"]
    assert policy.property_dependencies["bucket"] == [bucket.urn]
    assert isinstance(policy.inputs["policy"], str)  # classic: JSON text
    grant = one(capture, "aws:iam/rolePolicy:RolePolicy", "authenticated-files")
    assert bucket.inputs["bucketName"] in grant.inputs["policy"]
    assert grant.property_dependencies["policy"] == [bucket.urn]


@SHAPE
def test_classic_role_reaching_a_native_bucket(shape: str) -> None:
    capture = run_native("mixed", shape, mix="classic-role-native-bucket")
    bucket, role = one(capture, BUCKET, "files"), one(capture, "aws:iam/role:Role", "authenticated")
    policy = one(capture, BUCKET_POLICY, "files-policy")
    assert set(policy.property_dependencies["policyDocument"]) == {bucket.urn, role.urn}
    role_arn = f"arn:aws:iam::123456789012:role/{role.inputs['name']}"
    assert {s["Principal"]["AWS"] for s in policy.inputs["policyDocument"]["Statement"][1:]} == {role_arn}


@SHAPE
def test_native_role_attached_by_a_classic_attachment(shape: str) -> None:
    capture = run_native("mixed", shape, mix="native-role-classic-attachment")
    role = one(capture, ROLE, "authenticated")
    pool = one(capture, "aws:cognito/identityPool:IdentityPool", "identities")
    attachment = one(
        capture, "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment", "identities-roles"
    )
    assert attachment.inputs["roles"] == {
        "authenticated": f"arn:aws:iam::123456789012:role/{role.inputs['roleName']}"
    }
    assert attachment.property_dependencies["roles"] == [role.urn]
    assert role.property_dependencies["assumeRolePolicyDocument"] == [pool.urn]
    if shape == "deployed":
        aud = role.inputs["assumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
        assert aud == {"cognito-identity.amazonaws.com:aud": pool.outputs["arn"].split("identitypool/")[1]}
