"""Sign in and get the user's own AWS credentials, the way an app does it.

1. User pool sign-in with SRP (pycognito's AWSSRP; the password never leaves the machine, and the
   app client needs only ALLOW_USER_SRP_AUTH, no password flow).
2. Identity pool ``GetId`` with the ID token: the identity ID (``region:uuid``), which names the folder.
3. ``GetCredentialsForIdentity``: temporary credentials of the pool's authenticated role.

None of these calls needs AWS credentials of the caller (they are unsigned API operations).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import boto3
from pycognito.aws_srp import AWSSRP
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from .config import ClientConfig
from .errors import ClientFailure, explain
from .keys import user_folder


@dataclass(frozen=True)
class Tokens:
    id_token: str
    access_token: str
    refresh_token: str = ""


@dataclass(frozen=True)
class TemporaryCredentials:
    access_key_id: str
    secret_key: str
    session_token: str
    expiration: datetime | None = None


@dataclass(frozen=True)
class UserSession:
    """A signed-in user: who they are to the identity pool, their credentials and their folder."""

    identity_id: str
    credentials: TemporaryCredentials
    folder: str


def logins_key(region: str, user_pool_id: str) -> str:
    """The provider name under which the identity pool expects a user pool's ID token."""
    return f"cognito-idp.{region}.amazonaws.com/{user_pool_id}"


#: Challenges this client cannot answer, and what the user can do instead.
CHALLENGE_HINTS = {
    "MFA_SETUP": "the user pool requires MFA and this user has no authenticator app yet: sign in once "
    "through the app to set one up, then pass --mfa-code",
}


def tokens_from_result(response: dict[str, Any]) -> Tokens:
    result = response.get("AuthenticationResult")
    if not result:
        challenge = str(response.get("ChallengeName", "unknown"))
        raise ClientFailure(
            f"sign-in stopped at an unsupported challenge: {challenge}",
            CHALLENGE_HINTS.get(challenge, ""),
            code=challenge,
        )
    return Tokens(result["IdToken"], result["AccessToken"], result.get("RefreshToken", ""))


def sign_in(
    idp: Any, config: ClientConfig, username: str, password: str, mfa_code: str | None = None
) -> Tokens:
    """SRP sign-in to the user pool; answers a TOTP challenge when ``mfa_code`` is given."""
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=config.user_pool_id,
        client_id=config.user_pool_client_id,
        client=idp,
    )
    try:
        try:
            return tokens_from_result(srp.authenticate_user())
        except SoftwareTokenMFAChallengeException as challenge:
            if not mfa_code:
                raise
            pending = challenge.get_tokens()
            response = idp.respond_to_auth_challenge(
                ClientId=config.user_pool_client_id,
                ChallengeName="SOFTWARE_TOKEN_MFA",
                Session=pending["Session"],
                ChallengeResponses={
                    "USERNAME": pending.get("ChallengeParameters", {}).get("USERNAME", username),
                    "SOFTWARE_TOKEN_MFA_CODE": mfa_code,
                },
            )
            return tokens_from_result(response)
    except Exception as exc:
        raise explain(exc, "sign-in") from exc


def get_identity_id(identity: Any, config: ClientConfig, tokens: Tokens) -> str:
    """Cognito GetId: the identity ID that ``${cognito-identity.amazonaws.com:sub}`` stands for."""
    try:
        response = identity.get_id(
            IdentityPoolId=config.identity_pool_id,
            Logins={logins_key(config.region, config.user_pool_id): tokens.id_token},
        )
    except Exception as exc:
        raise explain(exc, "identity") from exc
    return str(response["IdentityId"])


def get_credentials(
    identity: Any, config: ClientConfig, identity_id: str, tokens: Tokens
) -> TemporaryCredentials:
    """Cognito GetCredentialsForIdentity: the authenticated role's temporary credentials."""
    try:
        response = identity.get_credentials_for_identity(
            IdentityId=identity_id,
            Logins={logins_key(config.region, config.user_pool_id): tokens.id_token},
        )
    except Exception as exc:
        raise explain(exc, "identity") from exc
    creds = response["Credentials"]
    return TemporaryCredentials(
        access_key_id=creds["AccessKeyId"],
        secret_key=creds["SecretKey"],
        session_token=creds["SessionToken"],
        expiration=creds.get("Expiration"),
    )


def open_session(
    config: ClientConfig,
    username: str,
    password: str,
    *,
    mfa_code: str | None = None,
    boto_session: boto3.session.Session | None = None,
) -> UserSession:
    """Sign in, find the identity ID and fetch credentials: everything a user needs for S3."""
    base = boto_session or boto3.session.Session(region_name=config.region)
    idp = base.client("cognito-idp", region_name=config.region)
    identity = base.client("cognito-identity", region_name=config.region)
    tokens = sign_in(idp, config, username, password, mfa_code)
    identity_id = get_identity_id(identity, config, tokens)
    credentials = get_credentials(identity, config, identity_id, tokens)
    return UserSession(identity_id, credentials, user_folder(config.folder_prefix, identity_id))


def s3_client(config: ClientConfig, credentials: TemporaryCredentials) -> Any:
    """An S3 client that acts as the signed-in user (the identity pool's authenticated role)."""
    session = boto3.session.Session(
        aws_access_key_id=credentials.access_key_id,
        aws_secret_access_key=credentials.secret_key,
        aws_session_token=credentials.session_token,
        region_name=config.region,
    )
    return session.client("s3")
