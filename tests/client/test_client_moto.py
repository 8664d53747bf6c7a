"""The reference client end to end against a local moto server.

What this proves: the client's *path*. It signs in with SRP (USER_SRP_AUTH), calls GetId and
GetCredentialsForIdentity with the user pool's ID token, and puts, lists and deletes objects under
``users/<identity id>/`` - the identity ID (``region:uuid``), never the user-pool ``sub``.

What it does not prove: isolation. moto enforces no IAM, so the role's policy and the bucket
policy are not evaluated here; the policy pack and the component tests cover those.

Where moto differs from Cognito, and how these tests live with it (moto 5.2.5):
- moto runs USER_SRP_AUTH but does not verify the SRP password proof, so a wrong password signs in.
  The wrong-password message is tested with botocore's Stubber in test_client_unit.py.
- moto's GetId mints a new identity ID on every call (Cognito returns the same ID for the same
  user). So list and delete are tested within one signed-in session, not across CLI runs.
- moto does enforce UserNotConfirmedException for SRP sign-in, so that error is tested here.
"""

from __future__ import annotations

import io
import json
import re
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from client.auth import open_session, s3_client
from client.cli import run
from client.config import load_client_config
from client.files import delete, list_files, upload

REGION = "us-east-1"
PASSWORD = "Correct-Horse-Battery-9"
IDENTITY_KEY = re.compile(
    r"^users/us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/(?P<name>.+)$"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    """A moto-backed stand-in for the deployed stack, in the shape of its outputs."""

    endpoint: str
    admin: boto3.session.Session
    outputs_file: Path
    user_pool_id: str
    identity_pool_id: str
    bucket: str
    user: str
    user_sub: str

    def client(self, service: str) -> Any:
        return self.admin.client(service, endpoint_url=self.endpoint)

    def keys(self) -> list[str]:
        listing = self.client("s3").list_objects_v2(Bucket=self.bucket)
        return [o["Key"] for o in listing.get("Contents", [])]


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def stack(moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Stack:
    admin = boto3.session.Session(
        aws_access_key_id="admin", aws_secret_access_key="admin", region_name=REGION
    )
    idp = admin.client("cognito-idp", endpoint_url=moto_endpoint)
    pool = idp.create_user_pool(PoolName="user-files-test", UsernameAttributes=["email"])["UserPool"]
    app = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="web",
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        PreventUserExistenceErrors="ENABLED",
    )["UserPoolClient"]
    user = "alice@example.com"
    idp.admin_create_user(UserPoolId=pool["Id"], Username=user, MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool["Id"], Username=user, Password=PASSWORD, Permanent=True)
    attrs = idp.admin_get_user(UserPoolId=pool["Id"], Username=user)["UserAttributes"]
    user_sub = next(a["Value"] for a in attrs if a["Name"] == "sub")

    identity_pool = admin.client("cognito-identity", endpoint_url=moto_endpoint).create_identity_pool(
        IdentityPoolName="user_files_test",
        AllowUnauthenticatedIdentities=False,
        AllowClassicFlow=False,
        CognitoIdentityProviders=[
            {
                "ProviderName": f"cognito-idp.{REGION}.amazonaws.com/{pool['Id']}",
                "ClientId": app["ClientId"],
                "ServerSideTokenCheck": True,
            }
        ],
    )
    bucket = f"user-files-{tmp_path.name.lower().replace('_', '-')[-20:]}"
    admin.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket=bucket)

    client_config = {
        "region": REGION,
        "userPoolId": pool["Id"],
        "userPoolClientId": app["ClientId"],
        "identityPoolId": identity_pool["IdentityPoolId"],
        "bucket": bucket,
        "folderPrefix": "users/",
        "folderKey": "identityId",
    }
    # The shape of `pulumi stack output --json` for the root program (__main__.py): each key as its
    # own output, plus the same object as `clientConfig`.
    outputs_file = tmp_path / "stack-outputs.json"
    outputs_file.write_text(json.dumps({**client_config, "clientConfig": client_config}, indent=2))

    # The client gets no AWS credentials of its own: only the SDK's endpoint override.
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    return Stack(
        moto_endpoint,
        admin,
        outputs_file,
        pool["Id"],
        identity_pool["IdentityPoolId"],
        bucket,
        user,
        user_sub,
    )


def _cli(stack: Stack, *argv: str, user: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = {"USER_FILES_USERNAME": user or stack.user, "USER_FILES_PASSWORD": PASSWORD}
    code = run([*argv, "--outputs", str(stack.outputs_file)], env=env, stdin=io.StringIO(), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_upload_lands_under_identity_id_not_user_pool_sub(stack: Stack, tmp_path: Path) -> None:
    local = tmp_path / "report.txt"
    local.write_text("hello")

    code, out, err = _cli(stack, "upload", str(local))

    assert code == 0, err
    [key] = stack.keys()
    match = IDENTITY_KEY.match(key)
    assert match and match.group("name") == "report.txt", key
    identity_id = key.split("/")[1]
    assert stack.user_sub not in key  # the field report's mistake: users/<user-pool sub>/...
    identities = stack.client("cognito-identity").list_identities(
        IdentityPoolId=stack.identity_pool_id, MaxResults=60
    )["Identities"]
    assert identity_id in {i["IdentityId"] for i in identities}  # it came from GetId on this pool
    assert f"uploaded {local} -> s3://{stack.bucket}/{key}" in out
    body = stack.client("s3").get_object(Bucket=stack.bucket, Key=key)["Body"].read()
    assert body == b"hello"


def test_upload_list_delete_in_one_session(stack: Stack, tmp_path: Path) -> None:
    config = load_client_config(stack.outputs_file)
    session = open_session(config, stack.user, PASSWORD)
    assert session.folder == f"users/{session.identity_id}/"
    s3 = s3_client(config, session.credentials)
    other = "users/us-east-1:00000000-0000-4000-8000-000000000000/theirs.txt"
    stack.client("s3").put_object(Bucket=stack.bucket, Key=other, Body=b"not yours")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "b.bin").write_bytes(b"bb")

    key_a = upload(s3, config.bucket, session.folder, tmp_path / "a.txt")
    key_b = upload(s3, config.bucket, session.folder, tmp_path / "b.bin", name="nested/b.bin")
    listed = list_files(s3, config.bucket, session.folder)

    assert [(f.name, f.size) for f in listed] == [("a.txt", 1), ("nested/b.bin", 2)]
    assert {f.key for f in listed} == {key_a, key_b}  # the other user's file is not in the listing
    assert delete(s3, config.bucket, session.folder, "a.txt") == key_a
    assert sorted(stack.keys()) == sorted([key_b, other])


def test_whoami_prints_identity_folder(stack: Stack) -> None:
    code, out, err = _cli(stack, "whoami")
    assert code == 0, err
    assert re.search(rf"your folder: s3://{stack.bucket}/users/us-east-1:[0-9a-f-]{{36}}/$", out, re.M), out
    assert stack.user_sub not in out


def test_unconfirmed_user_gets_a_clear_error(stack: Stack) -> None:
    app_client_id = load_client_config(stack.outputs_file).user_pool_client_id
    stack.client("cognito-idp").sign_up(ClientId=app_client_id, Username="bob@example.com", Password=PASSWORD)

    code, out, err = _cli(stack, "list", user="bob@example.com")

    assert code == 1
    assert "this user has not confirmed the account yet" in err
    assert "confirmation code" in err
    assert out == ""


def test_missing_outputs_file_is_a_usage_error(stack: Stack, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = run(["list", "--outputs", str(tmp_path / "missing.json")], env={}, out=out, err=err)
    assert code == 2
    assert "cannot read outputs file" in err.getvalue()


def test_delete_of_a_missing_object_says_not_found(stack: Stack) -> None:
    code, out, err = _cli(stack, "delete", "never-uploaded.txt")
    assert code == 1
    assert "error: not found: s3://" in err and "never-uploaded.txt" in err
    assert "deleted" not in out


def test_bad_arguments_are_refused_before_signing_in(stack: Stack, tmp_path: Path) -> None:
    """A wrong password would sign in at moto; a bad argument must stop the run before that."""
    bad = (["delete", "a\nb"], ["upload", str(tmp_path / "missing.txt")], ["list", "--folder", "nope/"])
    for argv in bad:
        code, out, err = _cli(stack, *argv)
        assert code == 2, (argv, err)
        assert out == "" and "signed in" not in out, argv
