"""Who the users are: user pool, app client, identity pool, the roles it hands out, and their attachment.

The roles get no S3 access here; :mod:`components.user_files` attaches it from the access description,
because the role policy needs the bucket and the bucket policy needs the roles.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pulumi_aws as aws

from components.access import role_arn
from components.config import IdentitySettings

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


class Identity(pulumi.ComponentResource):
    """User pool + app client + identity pool + authenticated (and optional guest) role + attachment.

    ``authenticated_role_arn`` / ``guest_role_arn`` are built from the account id, the role path and
    the role *name*, which are known at preview, not from the role's ``arn`` output, which is not.
    """

    user_pool: aws.cognito.UserPool
    user_pool_client: aws.cognito.UserPoolClient
    identity_pool: aws.cognito.IdentityPool
    authenticated_role: aws.iam.Role
    guest_role: aws.iam.Role | None
    authenticated_role_arn: pulumi.Output[str]
    guest_role_arn: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        settings: IdentitySettings,
        *,
        account_id: pulumi.Input[str],
        partition: pulumi.Input[str] = "aws",
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("cognito-user-files:components:Identity", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Users and their identity ids are data: the folders are named after identity ids. Long-lived
        # stacks protect and retain both pools.
        keep = pulumi.ResourceOptions(
            parent=self, protect=settings.protect, retain_on_delete=settings.protect
        )

        self.user_pool = aws.cognito.UserPool(
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
            opts=keep,
        )

        self.user_pool_client = aws.cognito.UserPoolClient(
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
            opts=child,
        )

        self.identity_pool = aws.cognito.IdentityPool(
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
            opts=keep,
        )

        self.authenticated_role = self._role(name, "authenticated", child)
        self.authenticated_role_arn = self._arn(self.authenticated_role, account_id, partition)
        self.guest_role = self._role(name, "unauthenticated", child) if settings.allow_guests else None
        self.guest_role_arn = (
            self._arn(self.guest_role, account_id, partition) if self.guest_role is not None else None
        )

        roles: dict[str, pulumi.Input[str]] = {"authenticated": self.authenticated_role_arn}
        if self.guest_role_arn is not None:
            roles["unauthenticated"] = self.guest_role_arn
        self.role_attachment = aws.cognito.IdentityPoolRoleAttachment(
            f"{name}-roles",
            identity_pool_id=self.identity_pool.id,
            roles=roles,
            opts=child,
        )

        self.register_outputs(
            {
                "userPoolId": self.user_pool.id,
                "userPoolClientId": self.user_pool_client.id,
                "identityPoolId": self.identity_pool.id,
                "authenticatedRoleArn": self.authenticated_role_arn,
            }
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

    @staticmethod
    def _arn(
        role: aws.iam.Role, account_id: pulumi.Input[str], partition: pulumi.Input[str]
    ) -> pulumi.Output[str]:
        return pulumi.Output.all(account_id, role.name, partition).apply(
            lambda args: role_arn(args[0], args[1], ROLE_PATH, args[2])
        )
