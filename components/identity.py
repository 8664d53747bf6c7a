"""Who the users are: user pool, app client, identity pool, the roles it hands out, and their attachment.

The roles get no S3 access here; :mod:`components.user_files` attaches it from the access description,
because the role policy needs the bucket and the bucket policy needs the roles. Used alone (from the
component package, or by a Python program with :class:`IdentityArgs`), it is Cognito sign-in whose roles
the caller gives access to.

No ``from __future__ import annotations``: the component package's schema is read from these hints.
"""

import json
import re
from typing import Any, TypedDict

import pulumi
import pulumi_aws as aws

from components.access import role_arn
from components.config import IdentitySettings
from components.inputs import MfaMode, settings_from_inputs

COGNITO_IDENTITY = "cognito-identity.amazonaws.com"
ROLE_PATH = "/"


def trust_policy(identity_pool_id: str, amr: str) -> dict[str, Any]:
    """The trust policy of an identity-pool role (domain notes, item 4).

    ``aud`` pins the role to this identity pool (without it, identities of *any* pool could assume it);
    ``amr`` pins it to authenticated or unauthenticated identities.
    """
    if amr not in ("authenticated", "unauthenticated"):
        raise ValueError(f"amr must be 'authenticated' or 'unauthenticated', got {amr!r}")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": COGNITO_IDENTITY},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{COGNITO_IDENTITY}:aud": identity_pool_id},
                    "ForAnyValue:StringLike": {f"{COGNITO_IDENTITY}:amr": amr},
                },
            }
        ],
    }


def identity_pool_name(project: str, stack: str, name: str) -> str:
    """Identity pool names allow only word characters and spaces."""
    return re.sub(r"[^\w ]", "_", f"{project}_{stack}_{name}")[:128]


class IdentityArgs(TypedDict, total=False):
    """Inputs of Identity: the Pulumi.yaml config keys of the same names, typed. All optional."""

    allow_guests: bool
    """Let the identity pool hand out guest (unauthenticated) identities, with a guest role. Default false."""
    mfa: MfaMode
    """User-pool MFA (TOTP): OPTIONAL or ON. Default OPTIONAL."""
    password_min_length: int
    """Minimum password length (12-99). Default 12."""
    access_token_minutes: int
    """Access-token lifetime in minutes (5-1440). Default 60."""
    id_token_minutes: int
    """ID-token lifetime in minutes (5-1440). Default 60."""
    refresh_token_days: int
    """Refresh-token lifetime in days (1-3650), longer than the access and ID tokens. Default 30."""
    deletion_protection: bool
    """User-pool deletion protection; false only together with ephemeral. Default true."""
    ephemeral: bool
    """A throw-away stack: the pools are neither protected nor retained. Default false."""


#: IdentityArgs' fields, in schema order (the config keys they validate as).
IDENTITY_FIELDS = tuple(IdentityArgs.__annotations__)


def identity_settings(args: IdentityArgs | IdentitySettings) -> IdentitySettings:
    """Validated settings from typed inputs (the stack's config validation), or already-validated ones."""
    if isinstance(args, IdentitySettings):
        return args
    return settings_from_inputs("Identity", args, IDENTITY_FIELDS).identity


class Identity(pulumi.ComponentResource):
    """Cognito sign-in: a user pool and its app client, an identity pool, its roles and their attachment.

    The authenticated role (and the guest role, with allowGuests) get no access here: attach policies
    to them, or use UserFiles, which grants both policy layers from one access description.
    """

    user_pool_id: pulumi.Output[str]
    """The user pool's id."""
    user_pool_client_id: pulumi.Output[str]
    """The app client's id (a public client: no secret; SRP sign-in and refresh tokens)."""
    identity_pool_id: pulumi.Output[str]
    """The identity pool's id."""
    authenticated_role_arn: pulumi.Output[str]
    """ARN of the role for signed-in identities, built from its name (known at preview)."""
    authenticated_role_name: pulumi.Output[str]
    """Name of the role for signed-in identities."""
    guest_role_arn: pulumi.Output[str] | None
    """ARN of the role for guest identities; only with allowGuests."""
    guest_role_name: pulumi.Output[str] | None
    """Name of the role for guest identities; only with allowGuests."""

    def __init__(
        self,
        name: str,
        args: IdentityArgs,
        opts: pulumi.ResourceOptions | None = None,
        *,
        account_id: pulumi.Input[str] | None = None,
        partition: pulumi.Input[str] | None = None,
    ) -> None:
        """``args``: typed inputs, or an already validated :class:`IdentitySettings`.

        ``account_id`` / ``partition`` build the role ARNs; left out, the component looks them up.
        ``authenticated_role_arn`` / ``guest_role_arn`` are built from the account id, the role path and
        the role *name*, which are known at preview, not from the role's ``arn`` output, which is not.
        """
        settings = identity_settings(args)  # before anything is registered
        super().__init__("cognito-user-files:components:Identity", name, None, opts)
        # Invokes through the providers this component was given (a consumer may pass its own aws provider).
        invoke = pulumi.InvokeOutputOptions(parent=self)
        if account_id is None:
            account_id = aws.get_caller_identity_output(opts=invoke).account_id
        if partition is None:
            partition = aws.get_partition_output(opts=invoke).partition
        child = pulumi.ResourceOptions(parent=self)
        # Users and their identity ids are data: the folders are named after identity ids. Long-lived
        # stacks protect and retain both pools.
        keep = pulumi.ResourceOptions(
            parent=self, protect=settings.protect, retain_on_delete=settings.protect
        )

        self.user_pool: aws.cognito.UserPool = self._user_pool(name, settings, keep)
        self.user_pool_client: aws.cognito.UserPoolClient = self._client(name, settings, child)
        self.identity_pool: aws.cognito.IdentityPool = self._identity_pool(name, settings, keep)
        self.authenticated_role: aws.iam.Role = self._role(name, "authenticated", child)
        self.authenticated_role_arn = self._arn(self.authenticated_role, account_id, partition)
        self.guest_role: aws.iam.Role | None = None
        self.guest_role_arn = None
        if settings.allow_guests:
            self.guest_role = self._role(name, "unauthenticated", child)
            self.guest_role_arn = self._arn(self.guest_role, account_id, partition)
        self.role_attachment = self._attachment(name, child)
        self._expose()

    def _user_pool(
        self, name: str, settings: IdentitySettings, opts: pulumi.ResourceOptions
    ) -> aws.cognito.UserPool:
        return aws.cognito.UserPool(
            f"{name}-users",
            username_attributes=["email"],
            auto_verified_attributes=["email"],
            # The email is the sign-in name and the recovery channel: a new address takes effect only
            # once it is verified. Otherwise Cognito replaces the verified address at once with an
            # unverified one, and sign-in and password recovery move to it.
            user_attribute_update_settings=aws.cognito.UserPoolUserAttributeUpdateSettingsArgs(
                attributes_require_verification_before_updates=["email"]
            ),
            username_configuration=aws.cognito.UserPoolUsernameConfigurationArgs(case_sensitive=False),
            account_recovery_setting=aws.cognito.UserPoolAccountRecoverySettingArgs(
                recovery_mechanisms=[
                    aws.cognito.UserPoolAccountRecoverySettingRecoveryMechanismArgs(
                        name="verified_email", priority=1
                    )
                ]
            ),
            password_policy=aws.cognito.UserPoolPasswordPolicyArgs(
                minimum_length=settings.password_min_length,
                require_lowercase=True,
                require_uppercase=True,
                require_numbers=True,
                require_symbols=True,
                temporary_password_validity_days=3,
            ),
            mfa_configuration=settings.mfa,
            software_token_mfa_configuration=aws.cognito.UserPoolSoftwareTokenMfaConfigurationArgs(
                enabled=True
            ),
            deletion_protection="ACTIVE" if settings.deletion_protection else "INACTIVE",
            opts=opts,
        )

    def _client(
        self, name: str, settings: IdentitySettings, opts: pulumi.ResourceOptions
    ) -> aws.cognito.UserPoolClient:
        return aws.cognito.UserPoolClient(
            f"{name}-client",
            user_pool_id=self.user_pool.id,
            generate_secret=False,  # a browser or mobile app cannot keep a secret
            explicit_auth_flows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            prevent_user_existence_errors="ENABLED",
            enable_token_revocation=True,
            supported_identity_providers=["COGNITO"],
            access_token_validity=settings.access_token_minutes,
            id_token_validity=settings.id_token_minutes,
            refresh_token_validity=settings.refresh_token_days,
            token_validity_units=aws.cognito.UserPoolClientTokenValidityUnitsArgs(
                access_token="minutes", id_token="minutes", refresh_token="days"
            ),
            opts=opts,
        )

    def _identity_pool(
        self, name: str, settings: IdentitySettings, opts: pulumi.ResourceOptions
    ) -> aws.cognito.IdentityPool:
        return aws.cognito.IdentityPool(
            f"{name}-identities",
            identity_pool_name=identity_pool_name(pulumi.get_project(), pulumi.get_stack(), name),
            allow_unauthenticated_identities=settings.allow_guests,
            allow_classic_flow=False,
            cognito_identity_providers=[
                aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
                    client_id=self.user_pool_client.id,
                    provider_name=self.user_pool.endpoint,
                    server_side_token_check=True,
                )
            ],
            opts=opts,
        )

    def _role(self, name: str, amr: str, opts: pulumi.ResourceOptions) -> aws.iam.Role:
        # The trust policy needs the identity-pool id, which the provider assigns on create: on a first
        # preview this document is unknown. Its property dependency on the identity pool still shows
        # which pool the role trusts.
        trust = self.identity_pool.id.apply(lambda pool_id: json.dumps(trust_policy(pool_id, amr)))
        kind = "authenticated" if amr == "authenticated" else "guest"
        return aws.iam.Role(
            f"{name}-{kind}",
            path=ROLE_PATH,
            description=f"Cognito identity-pool role for {amr} identities",
            assume_role_policy=trust,
            opts=opts,
        )

    def _attachment(self, name: str, opts: pulumi.ResourceOptions) -> aws.cognito.IdentityPoolRoleAttachment:
        roles: dict[str, pulumi.Input[str]] = {"authenticated": self.authenticated_role_arn}
        if self.guest_role_arn is not None:
            roles["unauthenticated"] = self.guest_role_arn
        return aws.cognito.IdentityPoolRoleAttachment(
            f"{name}-roles", identity_pool_id=self.identity_pool.id, roles=roles, opts=opts
        )

    def _expose(self) -> None:
        """The outputs: attributes (the package's schema) and the component's registered outputs."""
        self.user_pool_id = self.user_pool.id
        self.user_pool_client_id = self.user_pool_client.id
        self.identity_pool_id = self.identity_pool.id
        self.authenticated_role_name = self.authenticated_role.name
        self.guest_role_name = self.guest_role.name if self.guest_role is not None else None
        self.register_outputs(
            {
                "userPoolId": self.user_pool.id,
                "userPoolClientId": self.user_pool_client.id,
                "identityPoolId": self.identity_pool.id,
                "authenticatedRoleArn": self.authenticated_role_arn,
            }
        )

    @staticmethod
    def _arn(
        role: aws.iam.Role, account_id: pulumi.Input[str], partition: pulumi.Input[str]
    ) -> pulumi.Output[str]:
        return pulumi.Output.all(account_id, role.name, partition).apply(
            lambda args: role_arn(args[0], args[1], ROLE_PATH, args[2])
        )
