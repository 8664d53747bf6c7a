"""Command line: ``user-files {upload FILE | list | delete NAME | whoami} --outputs FILE`` (the installed
entry point; ``python -m client`` is the same).

Every argument and the outputs file are checked before any network call (exit 2). The user name comes
from ``--username`` or ``USER_FILES_USERNAME``; the password from ``USER_FILES_PASSWORD``,
``--password-stdin``, or a prompt; an MFA code from ``--mfa-code`` or ``USER_FILES_MFA_CODE``.
Nothing is read from files in the repo except the stack's outputs, which hold no secrets. To point
the AWS SDK elsewhere (a local moto server, say), use the SDK's own ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from .auth import open_session, s3_client
from .config import ClientConfig, ConfigError, load_client_config
from .errors import ClientFailure
from .files import delete, list_files, upload, upload_size
from .keys import FolderError, object_key, user_folder_template

USERNAME_ENV = "USER_FILES_USERNAME"
PASSWORD_ENV = "USER_FILES_PASSWORD"
MFA_ENV = "USER_FILES_MFA_CODE"

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--outputs",
        default="stack-outputs.json",
        help="the stack's client config, or `pulumi stack output --json` (default: %(default)s)",
    )
    common.add_argument("--username", help=f"user name or email (default: ${USERNAME_ENV})")
    common.add_argument(
        "--password-stdin",
        action="store_true",
        help=f"read the password from stdin (else ${PASSWORD_ENV} or a prompt)",
    )
    common.add_argument("--mfa-code", help=f"current TOTP code, if the user has MFA (or ${MFA_ENV})")
    common.add_argument(
        "--folder",
        help="which per-identity folder to use when the stack has several (e.g. users/ or profile/)",
    )

    parser = argparse.ArgumentParser(
        prog="user-files",
        description="Reference client: sign in to Cognito, then manage files in your own folder, "
        "<prefix><identity id>/ (also run as `python -m client`).",
        epilog="exit codes: 0 done; 1 refused or failed (sign-in, AWS, not found); 2 bad arguments or "
        "outputs file (nothing was sent)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("upload", parents=[common], help="upload FILE to your folder")
    up.add_argument("file")
    up.add_argument("--name", help="object name inside your folder (default: the file's name)")
    sub.add_parser("list", parents=[common], help="list your files")
    rm = sub.add_parser("delete", parents=[common], help="delete NAME from your folder")
    rm.add_argument("name")
    sub.add_parser("whoami", parents=[common], help="sign in and print your identity id and folder")
    return parser


def resolve_credentials(
    args: argparse.Namespace, env: Mapping[str, str], stdin: TextIO
) -> tuple[str, str, str | None]:
    """User name, password and MFA code from flags, environment or prompt (never from files)."""
    username = args.username or env.get(USERNAME_ENV, "")
    if not username:
        raise ClientFailure("no user name", f"pass --username or set {USERNAME_ENV}")
    if any(ord(c) < 32 or ord(c) == 127 for c in username):
        raise ClientFailure(f"user name {username!r} holds a control character", "give it on one line")
    if args.password_stdin:
        password = stdin.readline().rstrip("\r\n")
    elif env.get(PASSWORD_ENV):
        password = env[PASSWORD_ENV]
    elif stdin.isatty():
        password = getpass.getpass(f"password for {username}: ")
    else:
        password = ""
    if not password:
        raise ClientFailure("no password", f"set {PASSWORD_ENV}, use --password-stdin, or run in a terminal")
    mfa_code = args.mfa_code or env.get(MFA_ENV) or None
    if mfa_code is not None and not re.fullmatch(r"\d{6}", mfa_code):
        raise ClientFailure(f"MFA code {mfa_code!r} is not 6 digits", "the code from your authenticator app")
    return username, password, mfa_code


@dataclass(frozen=True)
class Request:
    """Everything the command needs, checked before any network call."""

    config: ClientConfig
    folder_prefix: str
    username: str
    password: str
    mfa_code: str | None


def check_request(args: argparse.Namespace, env: Mapping[str, str], stdin: TextIO) -> Request:
    """Validate every argument and the outputs file; raises before anything is sent."""
    config = load_client_config(args.outputs)
    folder_prefix = config.choose_folder(args.folder)
    template = user_folder_template(folder_prefix)
    if args.command == "upload":
        upload_size(args.file)
        object_key(template, args.name if args.name is not None else Path(args.file).name)
    elif args.command == "delete":
        object_key(template, args.name)
    username, password, mfa_code = resolve_credentials(args, env, stdin)
    return Request(config, folder_prefix, username, password, mfa_code)


def act(args: argparse.Namespace, request: Request, out: TextIO) -> int:
    """Sign in, then do the command in the user's folder."""
    config = request.config
    session = open_session(
        replace(config, folder_prefix=request.folder_prefix),
        request.username,
        request.password,
        mfa_code=request.mfa_code,
    )
    print(f"signed in as {request.username}; identity id {session.identity_id}", file=out)
    print(f"your folder: s3://{config.bucket}/{session.folder}", file=out)
    if args.command == "whoami":
        return EXIT_OK
    s3 = s3_client(config, session.credentials)
    if args.command == "upload":
        key = upload(s3, config.bucket, session.folder, args.file, args.name)
        print(f"uploaded {args.file} -> s3://{config.bucket}/{key}", file=out)
    elif args.command == "list":
        files = list_files(s3, config.bucket, session.folder)
        for f in files:
            print(f"{f.size:>12}  {f.name}", file=out)
        print(f"{len(files)} file(s)", file=out)
    elif args.command == "delete":
        key = delete(s3, config.bucket, session.folder, args.name)
        print(f"deleted s3://{config.bucket}/{key}", file=out)
    return EXIT_OK


def run(
    argv: Sequence[str] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    env = os.environ if env is None else env
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        request = check_request(args, env, stdin)
    except (ConfigError, FolderError, ClientFailure) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return EXIT_USAGE
    try:
        return act(args, request, out)
    except (ClientFailure, FolderError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAILURE
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return EXIT_FAILURE


def main() -> None:
    """The ``user-files`` command (and ``python -m client``): no traceback reaches the user."""
    try:
        code = run()
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        code = 130
    except Exception as exc:  # nothing foreseen: say what, not where
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        code = EXIT_FAILURE
    sys.exit(code)
