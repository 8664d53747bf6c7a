"""The test stack, set up in a local moto server the way the program declares it (for ``make demo``).

The program runs under the offline mocks in the deployed shape (``offline.mockrun``), and each
resource it registers is created in moto with the same settings: the user pool (password policy, MFA,
email sign-in), the app client (SRP and refresh only, no secret), the identity pool, the authenticated
role with its trust and role policies, the role attachment, and the bucket with its Block Public
Access, ownership, encryption, versioning, CORS and bucket policy. Ids that moto assigns (pool ids,
app client id) replace the mocks' ids in the documents that name them. What moto refuses is reported,
not hidden.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from offline.mockrun import run_program
from offline.model import StackCapture

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class DemoStack:
    """What the demo set up, in the shape of the stack's client config, and what moto could not do."""

    region: str
    user_pool_id: str
    user_pool_client_id: str
    identity_pool_id: str
    bucket: str
    role_arn: str
    folder_prefix: str
    folder_prefixes: list[str]
    notes: list[str] = field(default_factory=list)

    def client_config(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "userPoolId": self.user_pool_id,
            "userPoolClientId": self.user_pool_client_id,
            "identityPoolId": self.identity_pool_id,
            "bucket": self.bucket,
            "folderPrefix": self.folder_prefix,
            "folderPrefixes": self.folder_prefixes,
            "folderKey": "identityId",
        }


def _inputs(capture: StackCapture, type_token: str) -> dict[str, Any]:
    return capture.one(type_token).inputs


def _user_pool(idp: Any, inputs: dict[str, Any]) -> str:
    policy = inputs["passwordPolicy"]
    pool = idp.create_user_pool(
        PoolName=inputs["name"],
        Policies={
            "PasswordPolicy": {
                "MinimumLength": policy["minimumLength"],
                "RequireUppercase": policy["requireUppercase"],
                "RequireLowercase": policy["requireLowercase"],
                "RequireNumbers": policy["requireNumbers"],
                "RequireSymbols": policy["requireSymbols"],
                "TemporaryPasswordValidityDays": policy["temporaryPasswordValidityDays"],
            }
        },
        UsernameAttributes=inputs["usernameAttributes"],
        AutoVerifiedAttributes=inputs["autoVerifiedAttributes"],
        MfaConfiguration=inputs["mfaConfiguration"],
        UsernameConfiguration={"CaseSensitive": inputs["usernameConfiguration"]["caseSensitive"]},
        DeletionProtection=inputs["deletionProtection"],
    )["UserPool"]
    return str(pool["Id"])


def _app_client(idp: Any, pool_id: str, inputs: dict[str, Any]) -> str:
    units = inputs["tokenValidityUnits"]
    client = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=inputs["name"],
        GenerateSecret=inputs["generateSecret"],
        ExplicitAuthFlows=inputs["explicitAuthFlows"],
        PreventUserExistenceErrors=inputs["preventUserExistenceErrors"],
        AccessTokenValidity=inputs["accessTokenValidity"],
        IdTokenValidity=inputs["idTokenValidity"],
        RefreshTokenValidity=inputs["refreshTokenValidity"],
        TokenValidityUnits={
            "AccessToken": units["accessToken"],
            "IdToken": units["idToken"],
            "RefreshToken": units["refreshToken"],
        },
        EnableTokenRevocation=inputs["enableTokenRevocation"],
        SupportedIdentityProviders=inputs["supportedIdentityProviders"],
    )["UserPoolClient"]
    return str(client["ClientId"])


def _identity_pool(identity: Any, inputs: dict[str, Any], provider: str, client_id: str) -> str:
    pool = identity.create_identity_pool(
        IdentityPoolName=inputs["identityPoolName"],
        AllowUnauthenticatedIdentities=inputs["allowUnauthenticatedIdentities"],
        AllowClassicFlow=inputs["allowClassicFlow"],
        CognitoIdentityProviders=[
            {"ProviderName": provider, "ClientId": client_id, "ServerSideTokenCheck": True}
        ],
    )
    return str(pool["IdentityPoolId"])


def _bucket(s3: Any, capture: StackCapture, attempt: Callable[[str, Callable[[], Any]], None]) -> str:
    name = _inputs(capture, "aws:s3/bucket:Bucket")["bucket"]
    s3.create_bucket(Bucket=name)
    block = _inputs(capture, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    keys = ("blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets")
    settings = {key[0].upper() + key[1:]: block[key] for key in keys}  # BlockPublicAcls, ...
    attempt("Block Public Access", lambda: s3.put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=settings
    ))  # fmt: skip
    owner = _inputs(capture, "aws:s3/bucketOwnershipControls:BucketOwnershipControls")["rule"]
    attempt("ownership controls", lambda: s3.put_bucket_ownership_controls(
        Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": owner["objectOwnership"]}]}
    ))  # fmt: skip
    sse = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    attempt("default encryption (SSE-S3)", lambda: s3.put_bucket_encryption(
        Bucket=name, ServerSideEncryptionConfiguration=sse
    ))  # fmt: skip
    attempt("versioning", lambda: s3.put_bucket_versioning(
        Bucket=name, VersioningConfiguration={"Status": "Enabled"}
    ))  # fmt: skip
    rules = _inputs(capture, "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration")["corsRules"]
    cors = [{k[0].upper() + k[1:]: v for k, v in rule.items()} for rule in rules]
    attempt("CORS", lambda: s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": cors}))
    return str(name)


def _role(iam: Any, capture: StackCapture, mock_pool_id: str, pool_id: str) -> str:
    role = _inputs(capture, "aws:iam/role:Role")
    trust = role["assumeRolePolicy"].replace(mock_pool_id, pool_id)  # aud = moto's identity pool id
    created = iam.create_role(RoleName=role["name"], Path=role["path"], AssumeRolePolicyDocument=trust)
    arn = created["Role"]["Arn"]
    policy = _inputs(capture, "aws:iam/rolePolicy:RolePolicy")
    iam.put_role_policy(RoleName=role["name"], PolicyName=policy["name"], PolicyDocument=policy["policy"])
    return str(arn)


NO_RETRIES = Config(retries={"max_attempts": 1, "mode": "standard"})


def _first_line(exc: Exception) -> str:
    text = str(exc)
    if "has not been implemented" in text or "(500)" in text:
        operation = text.split("calling the ", 1)[-1].split(" operation", 1)[0]
        return f"moto does not implement {operation}"
    return f"{type(exc).__name__}: {text.splitlines()[0][:160] if text else ''}"


def without_tls_deny(document: str) -> tuple[str, bool]:
    """The bucket policy without its ``aws:SecureTransport`` Deny (moto serves plain HTTP and ignores
    conditions); True when a statement was left out."""
    policy = json.loads(document)
    kept = [
        s for s in policy.get("Statement", [])
        if not (s.get("Effect") == "Deny" and "aws:SecureTransport" in json.dumps(s.get("Condition", {})))
    ]  # fmt: skip
    dropped = len(kept) != len(policy.get("Statement", []))
    return json.dumps({**policy, "Statement": kept}), dropped


def set_up(endpoint: str, stack: str = "test", say: Callable[[str], None] = print) -> DemoStack:
    """Create the stack's resources in the moto server at ``endpoint``; ``say`` reports each one."""
    capture = run_program(ROOT, stack, preview=False)
    region = capture.config.get("aws:region", "us-east-1")
    admin = boto3.session.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=region)
    notes: list[str] = []

    def client(service: str) -> Any:
        return admin.client(service, endpoint_url=endpoint, config=NO_RETRIES)

    def attempt(what: str, call: Callable[[], Any]) -> None:
        try:
            call()
        except Exception as exc:  # moto's gaps are reported, not hidden
            notes.append(f"could not set {what}: {_first_line(exc)}")

    pool = _inputs(capture, "aws:cognito/userPool:UserPool")
    pool_id = _user_pool(client("cognito-idp"), pool)
    say(f"user pool {pool['name']}: email sign-in, passwords of {pool['passwordPolicy']['minimumLength']}+"
        f" characters, MFA {pool['mfaConfiguration']}")  # fmt: skip
    app = _inputs(capture, "aws:cognito/userPoolClient:UserPoolClient")
    client_id = _app_client(client("cognito-idp"), pool_id, app)
    say(f"app client {app['name']}: {', '.join(app['explicitAuthFlows'])}, no secret")
    provider = f"cognito-idp.{region}.amazonaws.com/{pool_id}"
    identity_inputs = _inputs(capture, "aws:cognito/identityPool:IdentityPool")
    identity_pool_id = _identity_pool(client("cognito-identity"), identity_inputs, provider, client_id)
    say(f"identity pool {identity_pool_id}: guests off, classic flow off, server-side token check on")
    mock_pool = _inputs(capture, "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment")
    role_arn = _role(client("iam"), capture, mock_pool["identityPoolId"], identity_pool_id)
    attempt("the identity pool's roles", lambda: client("cognito-identity").set_identity_pool_roles(
        IdentityPoolId=identity_pool_id, Roles={"authenticated": role_arn}
    ))  # fmt: skip
    say(f"role {role_arn}: trusts this identity pool (aud, amr); objects under users/${{sub}}/ only")
    bucket = _bucket(client("s3"), capture, attempt)
    policy, dropped = without_tls_deny(_inputs(capture, "aws:s3/bucketPolicy:BucketPolicy")["policy"])
    if dropped:
        notes.append(
            "ignores policy conditions, so the bucket policy's TLS-only Deny (aws:SecureTransport false) "
            "would refuse every request; the demo leaves that one statement out"
        )
    attempt("the bucket policy", lambda: client("s3").put_bucket_policy(Bucket=bucket, Policy=policy))
    say(f"bucket {bucket}: Block Public Access, BucketOwnerEnforced, SSE-S3, versioning, CORS, bucket policy")
    outputs = capture.outputs
    return DemoStack(
        region, pool_id, client_id, identity_pool_id, bucket, role_arn,
        outputs.get("folderPrefix", "users/"), list(outputs.get("folderPrefixes", [])), notes,
    )  # fmt: skip


def write_outputs(demo: DemoStack, path: Path) -> Path:
    """The outputs file as `pulumi stack output --json` would give it (each key, plus clientConfig)."""
    config = demo.client_config()
    path.write_text(json.dumps({**config, "clientConfig": config}, indent=2))
    return path
