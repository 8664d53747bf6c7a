"""The top-level component: Cognito identity + a per-user file bucket, both policy layers from ONE source.

The role policies (inline ``aws.iam.RolePolicy``) and the bucket policy are rendered by
:mod:`components.access` from the same :class:`~components.access.AccessDescription`, so the bucket policy
grants each role exactly what the role's own policy grants, never more.

Every ARN in those documents is built from names that are known at a first preview: the bucket ARN from
the bucket *name*, role ARNs from ``aws.get_caller_identity()``'s account id, the role path and the
role *name*. So the role-policy document depends on the bucket (and its property dependencies show it),
and the bucket-policy document on the bucket and the roles.

Client configuration (``client_config``, the stack output ``clientConfig``), a JSON object a web or
mobile client loads as is. Its keys are stable::

    {
      "region": "us-east-1",
      "userPoolId": "us-east-1_AbC123xyz",
      "userPoolClientId": "1h57kf5cpq17m0eml12EXAMPLE",
      "identityPoolId": "us-east-1:1f2e...",
      "bucket": "user-files-bucket-1a2b3c4",
      "folderPrefix": "users/",
      "folderPrefixes": ["users/{identity}/"],
      "folderKey": "identityId"
    }

A user's folder is ``folderPrefix + <identity id> + "/"``; ``folderPrefixes`` lists every per-identity
folder (``{identity}`` stands for the identity id) for access descriptions that have several. The
identity id is what Cognito ``GetId`` returns (``region:uuid``), *not* the user pool's ``sub`` claim.

Python programs pass validated :class:`~components.config.Settings` (from the stack's config) or the
typed inputs (:class:`UserFilesArgs`); the component package hosts the same class for other languages.
No ``from __future__ import annotations``: the package's schema is read from these hints.
"""

import json
from typing import TypedDict

import pulumi
import pulumi_aws as aws

from components.access import role_policy_document
from components.config import Settings
from components.identity import Identity
from components.inputs import AccessLevel, MfaMode, settings_from_inputs
from components.storage import FileBucket

FOLDER_KEY = "identityId"


class UserFilesArgs(TypedDict, total=False):
    """Inputs of UserFiles: exactly the Pulumi.yaml config keys, typed; all optional, same defaults."""

    access: dict[str, list[AccessLevel]]
    """Signed-in users' access: folder path ('.../*'; '{identity}' = the caller's identity-pool identity
    ID) -> access levels. Renders both the role policy and the bucket policy. Needs one per-user folder
    rule ending in '{identity}/*'. Default {"users/{identity}/*": ["read", "write", "delete"]}."""
    allow_guests: bool
    """Let the identity pool hand out guest (unauthenticated) identities. Default false."""
    guest_access: dict[str, list[AccessLevel]]
    """Guests' access, like 'access' but without '{identity}'. Needs allowGuests. Default none."""
    cors_origins: list[str]
    """Browser origins allowed by the bucket's CORS rule (https://host[:port], or http://localhost);
    '*' only as the sole entry, and only if you mean it. Default none (no CORS rule)."""
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
    """A throw-away stack: the bucket may be destroyed with its objects and nothing is protected. Never
    set it on a stack that holds real users' files. Default false."""
    kms_encryption: bool
    """Encrypt with a customer-managed KMS key (SSE-KMS) instead of SSE-S3. Default false."""
    noncurrent_version_days: int
    """Days to keep noncurrent object versions (1-3650). Default 30."""
    abort_multipart_days: int
    """Days before incomplete multipart uploads are aborted (1-365). Default 7."""


#: UserFilesArgs' fields, in schema order: one per config key.
USER_FILES_FIELDS = tuple(UserFilesArgs.__annotations__)


class ClientConfig(TypedDict):
    """What a web or mobile client needs, with stable keys (the stack output clientConfig)."""

    region: str
    """The AWS region."""
    userPoolId: str
    """The user pool's id."""
    userPoolClientId: str
    """The app client's id."""
    identityPoolId: str
    """The identity pool's id."""
    bucket: str
    """The file bucket's name."""
    folderPrefix: str
    """A user's folder is folderPrefix + <identity id> + '/'."""
    folderPrefixes: list[str]
    """Every per-identity folder, '{identity}' standing for the identity id: ['users/{identity}/']."""
    folderKey: str
    """Which id names a user's folder: always 'identityId' (Cognito GetId), not the user pool's sub."""


def user_files_settings(args: UserFilesArgs | Settings) -> Settings:
    """Validated settings from typed inputs (the stack's config validation), or already-validated ones."""
    if isinstance(args, Settings):
        return args
    return settings_from_inputs("UserFiles", args, USER_FILES_FIELDS)


def identity_folder_prefixes(settings: Settings) -> list[str]:
    """Every per-identity folder of signed-in users, '{identity}' kept: ['users/{identity}/']."""
    return list(settings.access.identity_folders())


class UserFiles(pulumi.ComponentResource):
    """Cognito sign-in and a private S3 folder per identity, both policy layers from one access description.

    A user pool, app client, identity pool and roles (Identity), a hardened bucket (FileBucket), and
    each role's S3 policy. The bucket policy grants each role exactly what the role's own policy grants.
    """

    bucket_name: pulumi.Output[str]
    """The file bucket's name."""
    bucket_arn: pulumi.Output[str]
    """The file bucket's ARN."""
    user_pool_id: pulumi.Output[str]
    """The user pool's id."""
    user_pool_client_id: pulumi.Output[str]
    """The app client's id."""
    identity_pool_id: pulumi.Output[str]
    """The identity pool's id."""
    authenticated_role_arn: pulumi.Output[str]
    """ARN of the role signed-in identities assume."""
    guest_role_arn: pulumi.Output[str] | None
    """ARN of the role guest identities assume; only with allowGuests."""
    region: pulumi.Output[str]
    """The AWS region of the stack."""
    folder_prefix: pulumi.Output[str]
    """The per-user folder convention: a user's folder is folderPrefix + <identity id> + '/'."""
    identity_folder_prefixes: pulumi.Output[list[str]]
    """Every per-identity folder the access description names, '{identity}' standing for the caller's
    identity id, e.g. ['users/{identity}/']."""
    client_config: pulumi.Output[ClientConfig]
    """What a web or mobile client needs, as one object (the stack output clientConfig)."""

    def __init__(self, name: str, args: UserFilesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        """``args``: typed inputs, or :class:`Settings` already validated from the stack's config."""
        settings = user_files_settings(args)  # before anything is registered
        if settings.access.guest and not settings.identity.allow_guests:
            raise ValueError("guest access rules need allow_guests=True")
        super().__init__("cognito-user-files:index:UserFiles", name, None, opts)
        # Invokes through the providers this component was given (a consumer may pass its own aws provider).
        invoke = pulumi.InvokeOutputOptions(parent=self)
        child = pulumi.ResourceOptions(parent=self)
        # Invokes are answered at preview, so the account id, region and partition are known then.
        account_id = aws.get_caller_identity_output(opts=invoke).account_id
        partition = aws.get_partition_output(opts=invoke).partition
        self.region = aws.get_region_output(opts=invoke).region

        self.identity = Identity(name, settings.identity, child, account_id=account_id, partition=partition)
        role_arns: dict[str, pulumi.Input[str]] = {"authenticated": self.identity.authenticated_role_arn}
        roles = {"authenticated": self.identity.authenticated_role}
        if self.identity.guest_role is not None and self.identity.guest_role_arn is not None:
            role_arns["guest"] = self.identity.guest_role_arn
            roles["guest"] = self.identity.guest_role
        self.storage = FileBucket(
            name,
            settings.storage,
            child,
            access=settings.access,
            role_arns=role_arns,
            account_id=account_id,
            region=self.region,
            partition=partition,
        )
        self.role_policies = self._role_policies(name, settings, roles, partition)
        self._expose(settings)

    def _role_policies(
        self, name: str, settings: Settings, roles: dict[str, aws.iam.Role], partition: pulumi.Input[str]
    ) -> dict[str, aws.iam.RolePolicy]:
        """Each role's own S3 policy, rendered from the same access description as the bucket policy."""
        access = settings.access
        policies: dict[str, aws.iam.RolePolicy] = {}
        for who, role in roles.items():
            if not access.rules(who):
                continue
            document = pulumi.Output.all(self.storage.bucket_name, partition).apply(
                lambda a, who=who: json.dumps(role_policy_document(access, who, a[0], a[1]))
            )
            policies[who] = aws.iam.RolePolicy(
                f"{name}-{who}-s3", role=role.name, policy=document, opts=pulumi.ResourceOptions(parent=self)
            )
        return policies

    def _expose(self, settings: Settings) -> None:
        """The outputs: attributes (the package's schema) and the component's registered outputs."""
        identity, storage = self.identity, self.storage
        self.bucket_name = storage.bucket_name
        self.bucket_arn = storage.bucket_arn
        self.user_pool_id = identity.user_pool_id
        self.user_pool_client_id = identity.user_pool_client_id
        self.identity_pool_id = identity.identity_pool_id
        self.authenticated_role_arn = identity.authenticated_role_arn
        self.guest_role_arn = identity.guest_role_arn
        self.folder_prefix = pulumi.Output.from_input(settings.folder_prefix)
        self.identity_folder_prefixes = pulumi.Output.from_input(identity_folder_prefixes(settings))
        self.client_config = pulumi.Output.all(
            self.region, self.user_pool_id, self.user_pool_client_id, self.identity_pool_id, self.bucket_name
        ).apply(
            lambda v: ClientConfig(
                region=v[0],
                userPoolId=v[1],
                userPoolClientId=v[2],
                identityPoolId=v[3],
                bucket=v[4],
                folderPrefix=settings.folder_prefix,
                folderPrefixes=identity_folder_prefixes(settings),
                folderKey=FOLDER_KEY,
            )
        )
        self.register_outputs({"clientConfig": self.client_config})
