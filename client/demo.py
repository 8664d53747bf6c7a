"""``make demo``: the user's path end to end, offline, against a local moto server (no AWS account).

It starts moto on 127.0.0.1, sets up the test stack's user pool, identity pool, role and bucket the
way the program declares them (:mod:`client.demo_stack`), and runs the real client (``user-files``,
or ``python -m client`` when the command is not installed) through sign-up and confirmation, sign-in
and whoami, upload, list and delete, and an attempt on another identity's folder. Each step says what
it does, and where moto differs from AWS the output says so:

- moto mints a new identity ID on every ``GetId`` (Cognito returns the same ID for the same user), so
  this demo makes ``GetId`` return one stable ID per user, as Cognito does;
- moto accepts any SRP password and any confirmation code;
- moto evaluates no IAM policy for identity-pool credentials, so the role's per-identity scope is not
  enforced here. The offline gate (``make check``) and the tests prove that scope.

Exit status 0 when every step behaved as described; 1 otherwise.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from client.demo_stack import ROOT, DemoStack, set_up, write_outputs

USER = "demo.user@example.com"
PASSWORD = "Demo-Passw0rd!-2026"  # meets the test stack's password policy (12+, all four kinds)


def say(text: str = "") -> None:
    print(text, flush=True)


def note(text: str) -> None:
    say(f"    moto: {text}")


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server on a free local port, with GetId stable per user (as Cognito's is)."""
    from moto.cognitoidentity.responses import CognitoIdentityResponse
    from moto.server import ThreadedMotoServer

    original = CognitoIdentityResponse.get_id

    def stable_get_id(self: Any) -> str:
        pool_id = self._get_param("IdentityPoolId")
        logins = self._get_param("Logins") or {}
        token = next(iter(logins.values()), "")
        subject = _token_subject(token) or uuid.uuid4().hex
        seed = hashlib.sha256(f"{pool_id}\x00{subject}".encode()).digest()[:16]
        identity_id = f"{pool_id.split(':')[0]}:{uuid.UUID(bytes=seed, version=4)}"
        self.backend.pools_identities[pool_id]["Identities"].append({"IdentityId": identity_id})
        return json.dumps({"IdentityId": identity_id})

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    CognitoIdentityResponse.get_id = stable_get_id  # type: ignore[method-assign]
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # moto's request log is not the demo's output
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
        CognitoIdentityResponse.get_id = original  # type: ignore[method-assign]


def _token_subject(token: str) -> str | None:
    """The ``sub`` claim of a JWT, unverified (moto signs its own tokens; this only names the user)."""
    import base64

    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    return str(claims.get("sub")) if isinstance(claims, dict) and claims.get("sub") else None


@dataclass
class Client:
    """Runs the real client as a user would, from a directory that is not the repo."""

    command: list[str]
    env: dict[str, str]
    cwd: Path
    outputs: Path

    def __call__(self, *argv: str) -> subprocess.CompletedProcess[str]:
        shown = " ".join(
            [Path(self.command[0]).name if len(self.command) == 1 else "python -m client", *argv]
        )
        say(f"  $ {shown}")
        proc = subprocess.run(
            [*self.command, *argv, "--outputs", str(self.outputs)],
            cwd=self.cwd, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        for line in (proc.stdout + proc.stderr).splitlines():
            say(f"    {line}")
        say(f"    (exit {proc.returncode})")
        return proc


def client_command() -> tuple[list[str], dict[str, str]]:
    """The installed ``user-files`` next to this Python, else ``python -m client`` (repo on the path)."""
    installed = Path(sys.executable).parent / "user-files"
    if installed.is_file():
        return [str(installed)], {}
    return [sys.executable, "-m", "client"], {"PYTHONPATH": str(ROOT)}


def client_env(endpoint: str, work: Path, extra: dict[str, str]) -> dict[str, str]:
    """No AWS credentials of the user's own; only the SDK's endpoint override, and the user's sign-in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(extra)
    env.update(
        AWS_ENDPOINT_URL=endpoint,
        AWS_CONFIG_FILE=str(work / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(work / "no-aws-credentials"),
        USER_FILES_USERNAME=USER,
        USER_FILES_PASSWORD=PASSWORD,
    )
    return env


class Checks:
    """What the demo expected at each step, and whether it happened."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def expect(self, ok: bool, what: str) -> None:
        if not ok:
            self.failed.append(what)
            say(f"    UNEXPECTED: {what}")


def sign_up_and_confirm(demo: DemoStack, endpoint: str, run: Client, checks: Checks) -> None:
    idp = boto3.session.Session(
        aws_access_key_id="demo", aws_secret_access_key="demo", region_name=demo.region
    ).client("cognito-idp", endpoint_url=endpoint)
    say(f"\n3. sign up {USER} (SignUp, as the app does; the reference client only signs in)")
    idp.sign_up(
        ClientId=demo.user_pool_client_id,
        Username=USER,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": USER}],
    )
    say("   before confirming, sign-in is refused:")
    proc = run("whoami")
    checks.expect(proc.returncode == 1 and "not confirmed" in proc.stderr, "an unconfirmed user is refused")
    say("   confirm the account (ConfirmSignUp with the emailed code)")
    note("accepts any confirmation code, and sends no email")
    idp.confirm_sign_up(ClientId=demo.user_pool_client_id, Username=USER, ConfirmationCode="123456")


def user_path(run: Client, work: Path, checks: Checks) -> str:
    """Sign in, whoami, upload, list, delete, delete again; return the user's folder."""
    say(
        "\n4. sign in (SRP) and ask who I am: the folder is the identity ID from GetId, not the user-pool sub"
    )
    note("runs USER_SRP_AUTH but does not verify the password proof")
    proc = run("whoami")
    checks.expect(proc.returncode == 0, "whoami succeeds")
    folder = next((line.split("/", 3)[3] for line in proc.stdout.splitlines() if "your folder:" in line), "")
    (work / "notes.txt").write_text("my own notes\n")
    say("\n5. upload, list and delete in my folder")
    proc = run("upload", str(work / "notes.txt"))
    checks.expect(proc.returncode == 0 and f"{folder}notes.txt" in proc.stdout, "upload lands in my folder")
    proc = run("list")
    checks.expect(proc.returncode == 0 and "notes.txt" in proc.stdout, "list shows the upload")
    proc = run("delete", "notes.txt")
    checks.expect(proc.returncode == 0 and "deleted" in proc.stdout, "delete removes it")
    say("   deleting it again says so (S3's DeleteObject alone would not):")
    proc = run("delete", "notes.txt")
    checks.expect(proc.returncode == 1 and "not found" in proc.stderr, "a second delete says not found")
    return folder


def other_folder(demo: DemoStack, endpoint: str, run: Client, mine: str, checks: Checks) -> None:
    """Try another identity's folder: the client refuses to name it; S3 would refuse the request."""
    other = f"users/{demo.region}:00000000-0000-4000-8000-000000000000/"
    admin = boto3.session.Session(
        aws_access_key_id="demo", aws_secret_access_key="demo", region_name=demo.region
    )
    admin.client("s3", endpoint_url=endpoint).put_object(
        Bucket=demo.bucket, Key=f"{other}private.txt", Body=b"x"
    )
    say(f"\n6. try another identity's folder ({other})")
    say("   the client cannot even name it: object names stay inside my folder")
    proc = run("delete", f"../{other.split('/')[1]}/private.txt")
    checks.expect(proc.returncode == 2 and "inside your folder" in proc.stderr, "the client refuses ../")
    say("   with my own credentials, straight to S3 (GetObject on their key):")
    os.environ["AWS_ENDPOINT_URL"] = endpoint
    from client.auth import open_session, s3_client
    from client.config import load_client_config

    config = load_client_config(run.outputs)
    session = open_session(config, USER, PASSWORD)
    checks.expect(session.folder == mine, "the same identity ID on every sign-in")
    try:
        s3_client(config, session.credentials).get_object(Bucket=demo.bucket, Key=f"{other}private.txt")
    except Exception as exc:  # what AWS does: the role's policy covers only users/${sub}/
        say(f"    refused: {type(exc).__name__}: {exc}")
        return
    say("    moto let it through. moto evaluates no IAM policy for identity-pool credentials, so the role's")
    say("    users/${cognito-identity.amazonaws.com:sub}/ scope is not enforced here. On AWS this is")
    say("    AccessDenied: the role policy and the bucket policy grant only the caller's own folder, and")
    say("    `make check` and the tests prove both documents say exactly that.")


def main(argv: Sequence[str] | None = None) -> int:
    checks = Checks()
    work = Path(tempfile.mkdtemp(prefix="user-files-demo-"))
    try:
        steps(work, checks)
    except Exception as exc:  # a step that broke: say which, without a traceback
        checks.failed.append(f"{type(exc).__name__}: {exc}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if checks.failed:
        say(f"\ndemo FAILED: {'; '.join(checks.failed)}")
        return 1
    say("\ndemo done: every step behaved as described")
    return 0


def steps(work: Path, checks: Checks) -> None:
    say("1. start a local moto server (no AWS account, no credentials)")
    with moto_server() as endpoint:
        say(f"   {endpoint}")
        note("mints a new identity ID on every GetId; this demo makes it stable per user, as Cognito is")
        say("\n2. set up the test stack's resources as the program declares them (Pulumi.test.yaml)")
        demo = set_up(endpoint, say=lambda line: say(f"   {line}"))
        for gap in demo.notes:
            note(gap)
        outputs = write_outputs(demo, work / "stack-outputs.json")
        say(f"   client config written to {outputs} (as `pulumi stack output --json` gives it)")
        command, extra = client_command()
        run = Client(command, client_env(endpoint, work, extra), work, outputs)
        sign_up_and_confirm(demo, endpoint, run, checks)
        folder = user_path(run, work, checks)
        other_folder(demo, endpoint, run, folder, checks)


if __name__ == "__main__":
    sys.exit(main())
