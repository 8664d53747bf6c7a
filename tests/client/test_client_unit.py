"""Pure parts of the reference client: outputs loading, folder and key building, error translation.

Good and bad cases for each. The AWS calls are exercised end to end in test_client_moto.py.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.stub import Stubber
from pycognito.exceptions import ForceChangePasswordException, SoftwareTokenMFAChallengeException

from client.auth import logins_key, sign_in
from client.cli import build_parser, resolve_credentials
from client.config import ClientConfig, ConfigError, load_client_config, parse_client_config
from client.errors import ClientFailure, access_denied_hint, explain
from client.keys import FolderError, is_identity_id, looks_like_user_pool_sub, object_key, user_folder

IDENTITY_ID = "us-east-1:1f2e3d4c-5b6a-4789-8abc-def012345678"
USER_POOL_SUB = "1448a458-6061-70ce-fb89-543829daaa9d"  # the field report's key segment

CONFIG = {
    "region": "us-east-1",
    "userPoolId": "us-east-1_AbC123xyz",
    "userPoolClientId": "3n4b5urk1ft4fl3mg5e62d9ado",
    "identityPoolId": "us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
    "bucket": "user-files-test-1a2b3c",
    "folderPrefix": "users/",
    "folderKey": "identityId",
}


def _client_error(code: str, message: str, op: str = "InitiateAuth") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, op)


# --- config -------------------------------------------------------------------------------------


def test_config_object_itself_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text(json.dumps(CONFIG))
    assert load_client_config(path) == ClientConfig(
        region="us-east-1",
        user_pool_id="us-east-1_AbC123xyz",
        user_pool_client_id="3n4b5urk1ft4fl3mg5e62d9ado",
        identity_pool_id="us-east-1:0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        bucket="user-files-test-1a2b3c",
        folder_prefix="users/",
    )


@pytest.mark.parametrize("as_string", [False, True], ids=["object", "json-string"])
def test_config_found_inside_stack_output_dump(as_string: bool) -> None:
    inner = json.dumps(CONFIG) if as_string else CONFIG
    dump = {"bucketName": CONFIG["bucket"], "clientConfig": inner, "userPoolArn": "arn:aws:cognito-idp:..."}
    assert parse_client_config(dump).identity_pool_id == CONFIG["identityPoolId"]


def test_config_folder_prefix_defaults_to_users() -> None:
    data = {k: v for k, v in CONFIG.items() if k != "folderPrefix"}
    assert parse_client_config(data).folder_prefix == "users/"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"bucket": "b"}, "no client config found"),
        ({**CONFIG, "region": ""}, "'region' must be a non-empty string"),
        ({**CONFIG, "userPoolId": 7}, "'userPoolId' must be a non-empty string, got 7"),
        (
            {**CONFIG, "identityPoolId": "not-a-pool"},
            "'identityPoolId' is 'not-a-pool'; expected <region>:<uuid>",
        ),
        ({**CONFIG, "region": "Mars"}, "'region' is 'Mars'; expected an AWS region"),
        ({"a": CONFIG, "b": CONFIG}, "several outputs look like a client config (a, b)"),
        ([1, 2], "expected a JSON object"),
        ({**CONFIG, "folderKey": "sub"}, "'folderKey' is 'sub'; this client names folders by 'identityId'"),
    ],
    ids=[
        "missing-keys",
        "empty-region",
        "non-string",
        "bad-pool-id",
        "bad-region",
        "ambiguous",
        "not-object",
        "folder-key-sub",
    ],
)
def test_config_bad_shapes_name_the_key(data: object, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_client_config(data)
    assert expected in str(info.value)


def test_config_missing_file_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_client_config(tmp_path / "nope.json")
    assert "pulumi stack output --json > stack-outputs.json" in str(info.value)


def test_config_not_json(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_text("region: us-east-1\n")
    with pytest.raises(ConfigError, match="is not JSON"):
        load_client_config(path)


# --- keys ---------------------------------------------------------------------------------------


def test_identity_id_and_user_pool_sub_are_told_apart() -> None:
    assert is_identity_id(IDENTITY_ID) and not looks_like_user_pool_sub(IDENTITY_ID)
    assert looks_like_user_pool_sub(USER_POOL_SUB) and not is_identity_id(USER_POOL_SUB)


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("users/", f"users/{IDENTITY_ID}/"),
        ("users", f"users/{IDENTITY_ID}/"),
        ("users/{identity}/", f"users/{IDENTITY_ID}/"),
        ("users/${cognito-identity.amazonaws.com:sub}/", f"users/{IDENTITY_ID}/"),
        ("private/{identity}", f"private/{IDENTITY_ID}/"),
    ],
)
def test_user_folder_is_under_the_identity_id(prefix: str, expected: str) -> None:
    assert user_folder(prefix, IDENTITY_ID) == expected


def test_user_folder_refuses_a_user_pool_sub() -> None:
    with pytest.raises(FolderError, match="user-pool sub"):
        user_folder("users/", USER_POOL_SUB)


def test_user_folder_refuses_garbage() -> None:
    with pytest.raises(FolderError, match="not an identity ID"):
        user_folder("users/", "../../etc")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.txt", "a.txt"), ("/a.txt", "a.txt"), ("sub/dir/a.txt", "sub/dir/a.txt"), ("x/../a.txt", "a.txt")],
)
def test_object_key_stays_in_folder(name: str, expected: str) -> None:
    folder = f"users/{IDENTITY_ID}/"
    assert object_key(folder, name) == folder + expected


@pytest.mark.parametrize("name", ["", "/", ".", "..", "../other/a.txt", "a/../../b", "..\\b"])
def test_object_key_refuses_names_that_leave_the_folder(name: str) -> None:
    with pytest.raises(FolderError):
        object_key(f"users/{IDENTITY_ID}/", name)


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exc", "stage", "message", "hint"),
    [
        (
            _client_error("NotAuthorizedException", "Incorrect username or password."),
            "sign-in",
            "wrong user name or password",
            "does not say which",
        ),
        (
            _client_error("UserNotFoundException", "User does not exist."),
            "sign-in",
            "wrong user name or password",
            "does not say which",
        ),
        (
            _client_error("UserNotConfirmedException", "User is not confirmed."),
            "sign-in",
            "not confirmed",
            "confirmation code",
        ),
        (
            _client_error("NotAuthorizedException", "User is disabled."),
            "sign-in",
            "disabled",
            "administrator",
        ),
        (
            _client_error("InvalidParameterException", "USER_SRP_AUTH is not enabled for the client."),
            "sign-in",
            "USER_SRP_AUTH is not enabled",
            "ALLOW_USER_SRP_AUTH",
        ),
        (
            _client_error("NotAuthorizedException", "Password attempts exceeded"),
            "sign-in",
            "too many failed attempts",
            "wait a while",
        ),
        (
            _client_error("PasswordResetRequiredException", "Password reset required for the user"),
            "sign-in",
            "a password reset is required",
            "forgot password",
        ),
        (
            _client_error(
                "CodeMismatchException", "Invalid code received for user", "RespondToAuthChallenge"
            ),
            "sign-in",
            "multi-factor code is wrong or expired",
            "",
        ),
        (
            _client_error("ResourceNotFoundException", "User pool client 1abc does not exist."),
            "sign-in",
            "User pool client 1abc does not exist.",
            "userPoolClientId",
        ),
        (ForceChangePasswordException("x"), "sign-in", "needs a new password", "permanent password"),
        (SoftwareTokenMFAChallengeException("x", {}), "sign-in", "multi-factor", "--mfa-code"),
        (
            _client_error("NotAuthorizedException", "Invalid login token.", "GetId"),
            "identity",
            "identity pool refused",
            "identityPoolId",
        ),
        (
            _client_error(
                "InvalidIdentityPoolConfigurationException",
                "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
                "GetCredentialsForIdentity",
            ),
            "identity",
            "could not hand out its role's credentials",
            "aud = this identity pool's id",
        ),
        (
            _client_error("ResourceNotFoundException", "IdentityPool 'x' not found.", "GetId"),
            "identity",
            "identity pool not found",
            "identityPoolId",
        ),
        (
            _client_error("NoSuchBucket", "The specified bucket does not exist", "PutObject"),
            "s3",
            "bucket not found",
            "outputs file",
        ),
        (
            _client_error("ExpiredToken", "The provided token has expired.", "PutObject"),
            "s3",
            "temporary credentials expired",
            "run the command again",
        ),
        (
            EndpointConnectionError(endpoint_url="https://cognito-idp.us-east-1.amazonaws.com/"),
            "sign-in",
            "cannot reach AWS",
            "region in the outputs file",
        ),
        (RuntimeError("boom"), "s3", "unexpected error during s3: RuntimeError: boom", ""),
    ],
    ids=[
        "wrong-password",
        "unknown-user",
        "unconfirmed",
        "disabled",
        "srp-not-enabled",
        "too-many-attempts",
        "reset-required",
        "wrong-mfa-code",
        "no-app-client",
        "new-password",
        "mfa",
        "identity-token",
        "role-trust",
        "no-identity-pool",
        "no-bucket",
        "expired-credentials",
        "no-network",
        "unexpected",
    ],
)
def test_errors_are_translated(exc: BaseException, stage: str, message: str, hint: str) -> None:
    failure = explain(exc, stage)  # type: ignore[arg-type]
    assert message in failure.message
    assert hint in failure.hint


def test_access_denied_on_a_user_pool_sub_key_names_the_mistake() -> None:
    key = f"users/{USER_POOL_SUB}/test-1756931818587.txt"
    failure = explain(_client_error("AccessDenied", "Access Denied", "PutObject"), "s3", key=key)
    assert failure.message == "S3 refused access: Access Denied"
    assert f"uses {USER_POOL_SUB!r}, which looks like a user-pool sub" in failure.hint
    assert "GetId" in failure.hint and "region:uuid" in failure.hint


def test_access_denied_on_an_identity_key_still_explains_the_folder_rule() -> None:
    key = f"users/{IDENTITY_ID}/a.txt"
    hint = access_denied_hint(key)
    assert "looks like a user-pool sub" not in hint
    assert hint.startswith(f"key was {key!r}") and "GetId" in hint


def test_unknown_error_keeps_code_and_message() -> None:
    failure = explain(_client_error("SlowDown", "Reduce your request rate.", "PutObject"), "s3")
    assert str(failure) == "s3 failed: SlowDown: Reduce your request rate."


# --- sign-in path with botocore's own Stubber (moto does not verify SRP passwords) -------------


def _idp_with_srp_challenge() -> tuple[object, Stubber]:
    import boto3

    idp = boto3.session.Session(region_name="us-east-1").client(
        "cognito-idp", aws_access_key_id="x", aws_secret_access_key="x"
    )
    stub = Stubber(idp)
    stub.add_response(
        "initiate_auth",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": "a1b2c3",
                "SRP_B": "f" * 64,
                "USERNAME": "alice",
                "USER_ID_FOR_SRP": "alice",
                "SECRET_BLOCK": "c2VjcmV0",
            },
        },
    )
    return idp, stub


def test_sign_in_wrong_password_is_reported_as_such() -> None:
    idp, stub = _idp_with_srp_challenge()
    stub.add_client_error(
        "respond_to_auth_challenge", "NotAuthorizedException", "Incorrect username or password."
    )
    config = parse_client_config(CONFIG)
    with stub, pytest.raises(ClientFailure) as info:
        sign_in(idp, config, "alice", "wrong")
    assert info.value.code == "NotAuthorizedException"
    assert "wrong user name or password" in str(info.value)
    stub.assert_no_pending_responses()


def test_sign_in_answers_totp_challenge_when_code_given() -> None:
    idp, stub = _idp_with_srp_challenge()
    stub.add_response(
        "respond_to_auth_challenge",
        {"ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": "s" * 20, "ChallengeParameters": {}},
    )
    stub.add_response(
        "respond_to_auth_challenge",
        {"AuthenticationResult": {"IdToken": "id", "AccessToken": "access", "RefreshToken": "r"}},
        expected_params={
            "ClientId": CONFIG["userPoolClientId"],
            "ChallengeName": "SOFTWARE_TOKEN_MFA",
            "Session": "s" * 20,
            "ChallengeResponses": {"USERNAME": "alice", "SOFTWARE_TOKEN_MFA_CODE": "123456"},
        },
    )
    with stub:
        tokens = sign_in(idp, parse_client_config(CONFIG), "alice", "pw", mfa_code="123456")
    assert (tokens.id_token, tokens.access_token) == ("id", "access")


def test_sign_in_stopped_at_mfa_setup_says_what_to_do() -> None:
    """With MFA required (the prod stack), a user without an authenticator app gets MFA_SETUP."""
    idp, stub = _idp_with_srp_challenge()
    stub.add_response("respond_to_auth_challenge", {"ChallengeName": "MFA_SETUP", "Session": "s" * 20})
    with stub, pytest.raises(ClientFailure) as info:
        sign_in(idp, parse_client_config(CONFIG), "alice", "pw")
    assert info.value.code == "MFA_SETUP"
    assert "unsupported challenge: MFA_SETUP" in info.value.message
    assert "set one up" in info.value.hint and "--mfa-code" in info.value.hint


def test_logins_key_names_the_user_pool_provider() -> None:
    assert logins_key("eu-west-1", "eu-west-1_X") == "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X"


# --- credentials come from flags / env / stdin, never files --------------------------------------


def test_credentials_from_env() -> None:
    args = build_parser().parse_args(["list"])
    env = {"USER_FILES_USERNAME": "alice", "USER_FILES_PASSWORD": "pw"}
    assert resolve_credentials(args, env, io.StringIO()) == ("alice", "pw", None)


def test_credentials_flag_and_stdin() -> None:
    argv = ["list", "--username", "bob", "--password-stdin", "--mfa-code", "123456"]
    args = build_parser().parse_args(argv)
    assert resolve_credentials(args, {}, io.StringIO("s3cret\n")) == ("bob", "s3cret", "123456")


def test_credentials_missing_say_where_to_put_them() -> None:
    args = build_parser().parse_args(["list"])
    with pytest.raises(ClientFailure, match="no user name") as info:
        resolve_credentials(args, {}, io.StringIO())
    assert "USER_FILES_USERNAME" in info.value.hint
    with pytest.raises(ClientFailure, match="no password"):
        resolve_credentials(args, {"USER_FILES_USERNAME": "a"}, io.StringIO())


def test_upload_access_denied_is_explained_with_the_key(tmp_path: Path) -> None:
    """S3 AccessDenied on upload becomes the identity-id hint (botocore Stubber: moto has no IAM)."""
    import boto3

    from client.files import upload

    s3 = boto3.session.Session(region_name="us-east-1").client(
        "s3", aws_access_key_id="x", aws_secret_access_key="x"
    )
    local = tmp_path / "test-1756931818587.txt"
    local.write_text("x")
    folder = f"users/{IDENTITY_ID}/"
    with Stubber(s3) as stub:
        stub.add_client_error("put_object", "AccessDenied", "Access Denied", http_status_code=403)
        with pytest.raises(ClientFailure) as info:
            upload(s3, "bucket", folder, local)
    assert info.value.code == "AccessDenied"
    assert info.value.hint.startswith(f"key was '{folder}test-1756931818587.txt'")
    assert "not the user pool's sub claim" in info.value.hint


# --- arguments checked before any network call ------------------------------------------------------


def test_several_folders_are_never_picked_silently() -> None:
    config = parse_client_config({**CONFIG, "folderPrefixes": ["users/{identity}/", "profile/{identity}/"]})
    assert config.folder_prefixes == ("users/{identity}/", "profile/{identity}/")
    with pytest.raises(ConfigError, match=r"several per-identity folders .*use --folder"):
        config.choose_folder(None)
    assert config.choose_folder("profile/") == "profile/{identity}/"
    assert config.choose_folder("profile") == "profile/{identity}/"
    assert config.choose_folder("users/{identity}/") == "users/{identity}/"
    with pytest.raises(ConfigError, match=r"--folder 'public/' is not a folder of this stack; its folders: "):
        config.choose_folder("public/")
    assert parse_client_config(CONFIG).choose_folder(None) == "users/"  # one folder: that one


@pytest.mark.parametrize(
    ("prefix", "problem"),
    [("../users/", "'..'"), ("/abs/", "starts with '/'"), ("users/\n", "control character"), ("a/./", "'.'")],
)
def test_unsafe_folder_prefixes_are_refused(prefix: str, problem: str) -> None:
    with pytest.raises(ConfigError, match="folderPrefix") as info:
        parse_client_config({**CONFIG, "folderPrefix": prefix})
    assert problem in str(info.value)


@pytest.mark.parametrize(("name", "problem"), [("a\nb.txt", "'\\n'"), ("tab\there", "'\\t'"), ("", "empty")])
def test_object_names_with_control_characters_are_refused(name: str, problem: str) -> None:
    with pytest.raises(FolderError) as info:
        object_key(f"users/{IDENTITY_ID}/", name)
    assert problem in str(info.value)


def test_a_key_over_1024_bytes_is_refused_before_sign_in() -> None:
    with pytest.raises(FolderError, match="at most 1024"):
        object_key("users/{identity}/", "x" * 1000)
    assert object_key("users/{identity}/", "x" * 900).endswith("x")


def test_a_file_over_5_gib_goes_up_in_parts(tmp_path: Path) -> None:
    from client.files import MAX_SINGLE_PUT, upload

    big = tmp_path / "big.bin"
    with big.open("wb") as f:  # sparse: no disk space used
        f.truncate(MAX_SINGLE_PUT + 1)

    class RecordingS3:
        calls: list[str] = []

        def upload_fileobj(self, body, bucket, key, ExtraArgs, Config):
            self.calls.append(f"multipart {key} {Config.multipart_threshold}")

        def put_object(self, **kwargs):
            self.calls.append("put")

    s3 = RecordingS3()
    key = upload(s3, "bucket", f"users/{IDENTITY_ID}/", big)
    assert s3.calls == [f"multipart {key} {MAX_SINGLE_PUT}"]
