"""The whole program (__main__.py) for the test and prod stacks under mocks: resources, outputs, errors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from client.config import REQUIRED_KEYS, find_client_config, parse_client_config
from offline.mockrun import ProgramError, registered, run_program
from offline.model import UNKNOWN

ROOT = Path(__file__).resolve().parents[2]

TEST_STACK_TYPES = {
    "cognito-user-files:index:UserFiles": 1,
    "cognito-user-files:components:Identity": 1,
    "cognito-user-files:components:FileBucket": 1,
    "aws:cognito/userPool:UserPool": 1,
    "aws:cognito/userPoolClient:UserPoolClient": 1,
    "aws:cognito/identityPool:IdentityPool": 1,
    "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment": 1,
    "aws:iam/role:Role": 1,
    "aws:iam/rolePolicy:RolePolicy": 1,
    "aws:s3/bucket:Bucket": 1,
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": 1,
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
    "aws:s3/bucketVersioning:BucketVersioning": 1,
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": 1,
    "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration": 1,
    "aws:s3/bucketPolicy:BucketPolicy": 1,
}


def test_test_stack_registers_exactly_the_expected_resources(program, shape: str) -> None:
    capture = program("test", shape)
    assert capture.project == "cognito-user-files"
    assert Counter(r.type for r in registered(capture)) == TEST_STACK_TYPES


def test_prod_stack_adds_only_the_kms_key(program, shape: str) -> None:
    capture = program("prod", shape)
    assert Counter(r.type for r in registered(capture)) == TEST_STACK_TYPES | {"aws:kms/key:Key": 1}


def test_component_tree(program, shape: str) -> None:
    capture = program("test", shape)
    stack = capture.resources[0]
    assert stack.type == "pulumi:pulumi:Stack"
    top = capture.one("cognito-user-files:index:UserFiles")
    assert top.parent == stack.urn
    for token in ("cognito-user-files:components:Identity", "cognito-user-files:components:FileBucket"):
        assert capture.one(token).parent == top.urn
    assert capture.one("aws:iam/rolePolicy:RolePolicy").parent == top.urn


def test_every_policy_document_but_the_trust_policy_is_known_at_first_preview(program) -> None:
    """ARNs come from names, never from `.arn` outputs, so the documents can be judged at preview."""
    capture = program("prod", "preview")
    documents = {
        (r.type, prop): r.inputs[prop]
        for r in registered(capture)
        for prop in ("policy", "assumeRolePolicy")
        if prop in r.inputs
    }
    assert set(documents) == {
        ("aws:iam/rolePolicy:RolePolicy", "policy"),
        ("aws:s3/bucketPolicy:BucketPolicy", "policy"),
        ("aws:kms/key:Key", "policy"),
        ("aws:iam/role:Role", "assumeRolePolicy"),
    }
    unknown = {key for key, value in documents.items() if value == UNKNOWN}
    # The trust policy needs the identity-pool id, assigned on create: the only unknown document.
    assert unknown == {("aws:iam/role:Role", "assumeRolePolicy")}


def test_outputs_at_first_preview(program) -> None:
    capture = program("test", "preview")
    bucket = capture.one("aws:s3/bucket:Bucket").inputs["bucket"]
    assert capture.outputs == {
        "region": "us-east-1",
        "userPoolId": UNKNOWN,
        "userPoolClientId": UNKNOWN,
        "identityPoolId": UNKNOWN,
        "bucket": bucket,
        "folderPrefix": "users/",
        "folderPrefixes": ["users/{identity}/"],
        "folderKey": "identityId",
        "clientConfig": UNKNOWN,
        "corsOrigins": ["http://localhost:5173"],
    }


@pytest.mark.parametrize(("stack", "region"), [("test", "us-east-1"), ("prod", "eu-west-1")])
def test_outputs_deployed(program, stack: str, region: str) -> None:
    capture = program(stack, "deployed")
    outputs = capture.outputs
    bucket = capture.one("aws:s3/bucket:Bucket").inputs["bucket"]
    assert re.fullmatch(rf"{region}_[A-Za-z0-9]+", outputs["userPoolId"])
    assert re.fullmatch(
        rf"{region}:[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}",
        outputs["identityPoolId"],
    )
    assert outputs["clientConfig"] == {
        "region": region,
        "userPoolId": outputs["userPoolId"],
        "userPoolClientId": outputs["userPoolClientId"],
        "identityPoolId": outputs["identityPoolId"],
        "bucket": bucket,
        "folderPrefix": "users/",
        "folderPrefixes": ["users/{identity}/"],
        "folderKey": "identityId",
    }
    # corsOrigins (as the bucket's CORS rule allows them, punycode applied) is for the app's developer,
    # not for the client; every other output is the client config's key of the same name.
    client_outputs = {k: outputs[k] for k in outputs if k not in ("clientConfig", "corsOrigins")}
    assert client_outputs == outputs["clientConfig"]


def test_every_per_identity_folder_is_exported() -> None:
    access = '{"private/{identity}/*": ["read", "write"], "profile/{identity}/*": ["get"]}'
    outputs = run_program(ROOT, "test", preview=False, config={"access": access}).outputs
    assert outputs["folderPrefixes"] == ["private/{identity}/", "profile/{identity}/"]
    assert outputs["clientConfig"]["folderPrefixes"] == outputs["folderPrefixes"]


def test_client_config_loads_in_the_reference_client(program) -> None:
    """The reference client reads the clientConfig object as is, and the whole output dump too."""
    outputs = program("test", "deployed").outputs
    assert set(REQUIRED_KEYS) <= set(outputs["clientConfig"])
    config = parse_client_config(outputs["clientConfig"])
    assert config.bucket == outputs["bucket"]
    assert config.identity_pool_id == outputs["identityPoolId"]
    assert config.folder_prefix == "users/"
    found = find_client_config(outputs)
    assert parse_client_config(found) == config


# --------------------------------------------------------------------------------------------------
# Bad config stops the program before any resource is registered
# --------------------------------------------------------------------------------------------------

BAD = [
    ({"corsOrigins": '["localhost:3000"]'}, "config cognito-user-files:corsOrigins = 'localhost:3000'"),
    ({"accessTokenMinutes": "5000"}, "config cognito-user-files:accessTokenMinutes = '5000' is not allowed"),
    ({"access": '{"users/{identity}/*": ["admin"]}'}, "unknown access level 'admin'"),
    ({"access": '{"users/{identity}": ["read"]}'}, "the path must end in '/*'"),
    ({"access": '{"users/*": ["read", "write"]}'}, "a per-user folder rule"),
    ({"mfa": "OFF"}, "config cognito-user-files:mfa = 'OFF' is not allowed: OPTIONAL or ON"),
    ({"mfa": ""}, "config cognito-user-files:mfa = '' is not allowed: OPTIONAL or ON"),
    ({"ephemeral": "false"}, "config cognito-user-files:deletionProtection = 'false'"),
]


@pytest.mark.parametrize(("config", "message"), BAD, ids=[f"bad-config-{i}" for i in range(len(BAD))])
@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
def test_bad_config_fails_before_any_resource(config: dict[str, str], message: str, preview: bool) -> None:
    with pytest.raises(ProgramError) as err:
        run_program(ROOT, "test", preview=preview, config=config)
    assert message in str(err.value)
    assert registered(err.value.capture) == []


def test_component_refuses_guest_rules_without_guests(tmp_path: Path) -> None:
    """Another program that builds Settings by hand gets the same guard as this stack's config."""
    (tmp_path / "Pulumi.yaml").write_text("name: reuser\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import dataclasses\n"
        "from components.access import AccessDescription, parse_rules\n"
        "from components.config import load_settings\n"
        "from components.user_files import UserFiles\n"
        "settings = load_settings({})\n"
        "guest = parse_rules({'public/*': ['get']}, 'guest')\n"
        "access = AccessDescription(settings.access.authenticated, guest)\n"
        "UserFiles('files', dataclasses.replace(settings, access=access))\n"
    )
    with pytest.raises(ProgramError, match=r"guest access rules need allow_guests=True") as err:
        run_program(tmp_path, "dev", preview=True)
    assert registered(err.value.capture) == []
