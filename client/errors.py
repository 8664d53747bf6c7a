"""Turn AWS and pycognito errors into messages a user can act on.

Pure: each function takes the error (and what we were doing) and returns a ClientFailure with a
message and a hint. The CLI prints them; tests assert them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from botocore.exceptions import BotoCoreError, ClientError, EndpointConnectionError, NoCredentialsError
from pycognito.exceptions import (
    ForceChangePasswordException,
    MFAChallengeException,
)

from .keys import looks_like_user_pool_sub

Stage = Literal["sign-in", "identity", "s3"]


@dataclass
class ClientFailure(Exception):
    """A failure the user can act on: what went wrong, and what to do about it."""

    message: str
    hint: str = ""
    code: str = ""

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


def _aws_message(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Message", "")).strip()


def _folder_segment(key: str, folder_prefix: str) -> str:
    rest = key[len(folder_prefix) :] if folder_prefix and key.startswith(folder_prefix) else key
    return rest.split("/", 1)[0]


def access_denied_hint(key: str | None, folder_prefix: str = "users/") -> str:
    """The hint for an S3 AccessDenied: the folder must be the identity ID, not the user-pool sub."""
    base = (
        "the role only allows users/<identity id>/..., where the identity id is what Cognito GetId "
        "returns (region:uuid, e.g. us-east-1:1f2e...), not the user pool's sub claim (a bare UUID)"
    )
    if key:
        segment = _folder_segment(key, folder_prefix)
        if looks_like_user_pool_sub(segment):
            return f"the key {key!r} uses {segment!r}, which looks like a user-pool sub; {base}"
        return f"key was {key!r}; {base}"
    return base


def _not_aws(exc: BaseException, stage: Stage) -> ClientFailure:
    """Errors from pycognito and botocore itself, before any AWS error code."""
    if isinstance(exc, ForceChangePasswordException):
        return ClientFailure(
            "sign-in needs a new password: this user still has the temporary password an admin set",
            "sign in once through the app (or `aws cognito-idp admin-set-user-password --permanent`) "
            "to set a permanent password",
            "NEW_PASSWORD_REQUIRED",
        )
    if isinstance(exc, MFAChallengeException):
        return ClientFailure(
            "sign-in needs a multi-factor code",
            "pass --mfa-code with the current code from your authenticator app",
            "MFA_REQUIRED",
        )
    if isinstance(exc, EndpointConnectionError):
        return ClientFailure(
            f"cannot reach AWS: {exc}", "check the network and the region in the outputs file"
        )
    if isinstance(exc, NoCredentialsError):
        return ClientFailure(
            f"{exc}", "this client needs no AWS credentials of its own; report this as a bug"
        )
    if isinstance(exc, BotoCoreError):
        return ClientFailure(f"AWS SDK error during {stage}: {exc}")
    return ClientFailure(f"unexpected error during {stage}: {type(exc).__name__}: {exc}")


def _sign_in(code: str, aws: str) -> ClientFailure | None:
    if code in ("NotAuthorizedException", "UserNotFoundException"):
        if "disabled" in aws.lower():
            return ClientFailure("sign-in refused: this user is disabled", "ask an administrator", code)
        if "attempts exceeded" in aws.lower():
            return ClientFailure(
                "sign-in refused: too many failed attempts", "wait a while before trying again", code
            )
        return ClientFailure(
            "sign-in failed: wrong user name or password",
            "check both; the user pool does not say which one is wrong",
            code,
        )
    if code == "UserNotConfirmedException":
        return ClientFailure(
            "sign-in failed: this user has not confirmed the account yet",
            "enter the confirmation code sent by email in the app (ConfirmSignUp), "
            "or ask an administrator to confirm the user",
            code,
        )
    if code == "PasswordResetRequiredException":
        return ClientFailure(
            "sign-in failed: a password reset is required", "use 'forgot password' in the app", code
        )
    if code == "InvalidParameterException" and "not enabled" in aws.lower():
        return ClientFailure(
            f"sign-in failed: {aws}",
            "the app client must allow ALLOW_USER_SRP_AUTH (check the stack's app client)",
            code,
        )
    if code == "ResourceNotFoundException":
        return ClientFailure(
            f"sign-in failed: {aws or 'user pool client not found'}",
            "check userPoolId and userPoolClientId in the outputs file (is the stack deployed?)",
            code,
        )
    if code == "CodeMismatchException":
        return ClientFailure("sign-in failed: the multi-factor code is wrong or expired", "", code)
    return None


def _identity(code: str, aws: str) -> ClientFailure | None:
    if code == "NotAuthorizedException":
        return ClientFailure(
            f"the identity pool refused the sign-in token: {aws}",
            "check that identityPoolId in the outputs file belongs to this user pool and app client",
            code,
        )
    if code == "ResourceNotFoundException":
        return ClientFailure(
            f"identity pool not found: {aws}", "check identityPoolId in the outputs file", code
        )
    if code == "InvalidIdentityPoolConfigurationException":
        return ClientFailure(
            f"the identity pool could not hand out its role's credentials: {aws}",
            "the authenticated role's trust policy must allow sts:AssumeRoleWithWebIdentity for "
            "cognito-identity.amazonaws.com with aud = this identity pool's id and amr = "
            "authenticated, and the pool's role attachment must name that role",
            code,
        )
    return None


def _s3(code: str, aws: str, key: str | None, folder_prefix: str) -> ClientFailure | None:
    if code in ("AccessDenied", "403", "Forbidden"):
        return ClientFailure(
            f"S3 refused access: {aws or code}", access_denied_hint(key, folder_prefix), code
        )
    if code == "NoSuchBucket":
        return ClientFailure(f"bucket not found: {aws}", "check bucket in the outputs file", code)
    if code in ("ExpiredToken", "ExpiredTokenException"):
        return ClientFailure("the temporary credentials expired", "run the command again", code)
    return None


def explain(
    exc: BaseException, stage: Stage, *, key: str | None = None, folder_prefix: str = "users/"
) -> ClientFailure:
    """Translate ``exc``, raised while doing ``stage``, into a ClientFailure."""
    if isinstance(exc, ClientFailure):
        return exc
    if not isinstance(exc, ClientError):
        return _not_aws(exc, stage)
    code, aws = error_code(exc), _aws_message(exc)
    found = {
        "sign-in": lambda: _sign_in(code, aws),
        "identity": lambda: _identity(code, aws),
        "s3": lambda: _s3(code, aws, key, folder_prefix),
    }[stage]()
    return found or ClientFailure(f"{stage} failed: {code}: {aws}", "", code)
