"""components/identity.py under mocks, as a first preview and as deployed: pools, client, roles, trust."""

from __future__ import annotations

import json
import re

import pytest

from components.identity import trust_policy
from offline.mockrun import registered
from offline.model import UNKNOWN

POOL = "aws:cognito/userPool:UserPool"
CLIENT = "aws:cognito/userPoolClient:UserPoolClient"
IDENTITY_POOL = "aws:cognito/identityPool:IdentityPool"
ROLE = "aws:iam/role:Role"
ATTACHMENT = "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment"
ACCOUNT = "123456789012"
GUESTS = {"allowGuests": "true", "guestAccess": '{"public/*": ["get"]}'}


def expected_trust(pool_id: str, amr: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                    "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": amr},
                },
            }
        ],
    }


def test_user_pool(program, shape: str) -> None:
    pool = program("test", shape).one(POOL)
    assert pool.inputs["passwordPolicy"] == {
        "minimumLength": 12,
        "requireLowercase": True,
        "requireUppercase": True,
        "requireNumbers": True,
        "requireSymbols": True,
        "temporaryPasswordValidityDays": 3,
    }
    assert pool.inputs["mfaConfiguration"] == "OPTIONAL"
    assert pool.inputs["softwareTokenMfaConfiguration"] == {"enabled": True}
    assert pool.inputs["usernameAttributes"] == ["email"]
    assert pool.inputs["autoVerifiedAttributes"] == ["email"]
    assert pool.inputs["userAttributeUpdateSettings"] == {
        "attributesRequireVerificationBeforeUpdates": ["email"]
    }
    assert pool.inputs["accountRecoverySetting"] == {
        "recoveryMechanisms": [{"name": "verified_email", "priority": 1}]
    }
    assert pool.inputs["name"] == pool.outputs["name"]  # autonamed, known at preview


@pytest.mark.parametrize(
    ("stack", "deletion_protection", "kept"), [("test", "INACTIVE", False), ("prod", "ACTIVE", True)]
)
def test_pools_protected_by_stack(
    program, doc, one_named, shape: str, stack: str, deletion_protection: str, kept: bool
) -> None:
    capture = program(stack, shape)
    pool = capture.one(POOL)
    assert pool.inputs["deletionProtection"] == deletion_protection
    for record in (pool, capture.one(IDENTITY_POOL)):
        assert (record.protect, record.retain_on_delete) == (kept, kept), record.name


def test_prod_mfa_on(program, shape: str) -> None:
    pool = program("prod", shape).one(POOL)
    assert pool.inputs["mfaConfiguration"] == "ON"
    assert pool.inputs["passwordPolicy"]["minimumLength"] == 14


def test_app_client_has_no_secret_and_only_srp_and_refresh(program, shape: str) -> None:
    capture = program("test", shape)
    client = capture.one(CLIENT)
    assert client.inputs["generateSecret"] is False
    assert client.inputs["explicitAuthFlows"] == ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    assert client.inputs["preventUserExistenceErrors"] == "ENABLED"
    assert client.inputs["enableTokenRevocation"] is True
    assert (client.inputs["accessTokenValidity"], client.inputs["idTokenValidity"]) == (60, 60)
    assert client.inputs["refreshTokenValidity"] == 30
    assert client.inputs["tokenValidityUnits"] == {
        "accessToken": "minutes",
        "idToken": "minutes",
        "refreshToken": "days",
    }
    assert client.property_dependencies["userPoolId"] == [capture.one(POOL).urn]
    if shape == "preview":
        assert client.inputs["userPoolId"] == UNKNOWN
    else:
        assert re.fullmatch(r"us-east-1_[A-Za-z0-9]{9}", client.inputs["userPoolId"])


def test_token_lifetimes_follow_config(program, shape: str) -> None:
    client = program("prod", shape).one(CLIENT)
    assert (client.inputs["accessTokenValidity"], client.inputs["idTokenValidity"]) == (15, 15)
    assert client.inputs["refreshTokenValidity"] == 7


def test_identity_pool_guests_off_classic_off_token_check_on(program, shape: str) -> None:
    capture = program("test", shape)
    pool = capture.one(IDENTITY_POOL)
    # Identity pool names allow only word characters and spaces: project, stack and name, sanitised.
    assert pool.inputs["identityPoolName"] == "cognito_user_files_test_user_files"
    assert pool.inputs["allowUnauthenticatedIdentities"] is False
    assert pool.inputs["allowClassicFlow"] is False
    [provider] = pool.inputs["cognitoIdentityProviders"]
    assert provider["serverSideTokenCheck"] is True
    assert sorted(pool.property_dependencies["cognitoIdentityProviders"]) == sorted(
        [capture.one(POOL).urn, capture.one(CLIENT).urn]
    )
    if shape == "preview":
        assert provider["clientId"] == UNKNOWN and provider["providerName"] == UNKNOWN
    else:
        assert provider["providerName"] == capture.one(POOL).outputs["endpoint"]
        assert provider["providerName"].startswith("cognito-idp.us-east-1.amazonaws.com/us-east-1_")
        assert provider["clientId"] == capture.outputs["userPoolClientId"]


def test_only_an_authenticated_role_without_guests(program, shape: str) -> None:
    capture = program("test", shape)
    [role] = capture.by_type(ROLE)
    assert role.name.endswith("-authenticated")
    attachment = capture.one(ATTACHMENT)
    assert attachment.inputs["roles"] == {
        "authenticated": f"arn:aws:iam::{ACCOUNT}:role/{role.inputs['name']}"
    }


def test_trust_policy_only_for_authenticated_or_unauthenticated() -> None:
    assert trust_policy("us-east-1:1", "unauthenticated") == expected_trust("us-east-1:1", "unauthenticated")
    with pytest.raises(ValueError, match="amr must be 'authenticated' or 'unauthenticated', got 'guest'"):
        trust_policy("us-east-1:1", "guest")


def test_trust_policy_pins_pool_and_amr(program, doc, shape: str) -> None:
    capture = program("test", shape)
    role = capture.one(ROLE)
    pool = capture.one(IDENTITY_POOL)
    # The trust policy needs the identity-pool id, which only exists after create: unknown at a first
    # preview, but its property dependency names the pool.
    assert role.property_dependencies["assumeRolePolicy"] == [pool.urn]
    assert role.inputs["path"] == "/"
    if shape == "preview":
        assert role.inputs["assumeRolePolicy"] == UNKNOWN
    else:
        pool_id = capture.outputs["identityPoolId"]
        assert re.fullmatch(r"us-east-1:[0-9a-f-]{36}", pool_id)
        assert doc(role, "assumeRolePolicy") == expected_trust(pool_id, "authenticated")


def test_role_attachment_uses_arns_built_from_names_known_at_preview(
    program, doc, one_named, shape: str
) -> None:
    capture = program("test", shape)
    role = capture.one(ROLE)
    attachment = capture.one(ATTACHMENT)
    assert attachment.inputs["roles"]["authenticated"] == f"arn:aws:iam::{ACCOUNT}:role/{role.inputs['name']}"
    assert attachment.property_dependencies["roles"] == [role.urn]
    assert attachment.property_dependencies["identityPoolId"] == [capture.one(IDENTITY_POOL).urn]
    if shape == "deployed":
        assert attachment.inputs["roles"]["authenticated"] == role.outputs["arn"]


def test_guests_when_configured(program, doc, one_named, shape: str) -> None:
    capture = program("test", shape, **GUESTS)
    assert capture.one(IDENTITY_POOL).inputs["allowUnauthenticatedIdentities"] is True
    guest = one_named(capture, ROLE, "-guest")
    authenticated = one_named(capture, ROLE, "-authenticated")
    assert capture.one(ATTACHMENT).inputs["roles"] == {
        "authenticated": f"arn:aws:iam::{ACCOUNT}:role/{authenticated.inputs['name']}",
        "unauthenticated": f"arn:aws:iam::{ACCOUNT}:role/{guest.inputs['name']}",
    }
    if shape == "deployed":
        pool_id = capture.outputs["identityPoolId"]
        assert doc(guest, "assumeRolePolicy") == expected_trust(pool_id, "unauthenticated")
        assert doc(authenticated, "assumeRolePolicy") == expected_trust(pool_id, "authenticated")


def test_guest_role_without_guest_rules_gets_no_s3_policy(program, shape: str) -> None:
    capture = program("test", shape, allowGuests="true")
    assert len(capture.by_type(ROLE)) == 2
    [role_policy] = capture.by_type("aws:iam/rolePolicy:RolePolicy")
    assert role_policy.name.endswith("-authenticated-s3")
    statements = json.loads(capture.one("aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])["Statement"]
    assert not any(s["Sid"].startswith("Guest") for s in statements)


def test_identity_resources_parented_under_the_identity_component(
    program, doc, one_named, shape: str
) -> None:
    capture = program("test", shape)
    [identity] = [r for r in registered(capture) if r.type == "cognito-user-files:components:Identity"]
    for token in (POOL, CLIENT, IDENTITY_POOL, ROLE, ATTACHMENT):
        assert capture.one(token).parent == identity.urn, token
    assert not identity.custom
