"""Command line: ``python -m client {upload FILE | list | delete NAME | whoami} --outputs FILE``.

The user name comes from ``--username`` or ``USER_FILES_USERNAME``; the password from
``USER_FILES_PASSWORD``, ``--password-stdin``, or a prompt. Nothing is read from files in the repo
except the stack's outputs, which hold no secrets. To point the AWS SDK elsewhere (a local moto
server, say), use the SDK's own ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from .auth import open_session, s3_client
from .config import ConfigError, load_client_config
from .errors import ClientFailure
from .files import delete, list_files, upload
from .keys import FolderError

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

    parser = argparse.ArgumentParser(
        prog="python -m client",
        description="Reference client: sign in to Cognito, then manage files in users/<identity id>/.",
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
    return username, password, args.mfa_code or env.get(MFA_ENV) or None


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
        config = load_client_config(args.outputs)
        username, password, mfa_code = resolve_credentials(args, env, stdin)
        session = open_session(config, username, password, mfa_code=mfa_code)
        print(f"signed in as {username}; identity id {session.identity_id}", file=out)
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
    except ConfigError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    except (ClientFailure, FolderError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_FAILURE
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=err)
        return EXIT_FAILURE
    return EXIT_OK


def main() -> None:
    sys.exit(run())
