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
      "folderKey": "identityId"
    }

A user's folder is ``folderPrefix + <identity id> + "/"``, where the identity id is what Cognito
``GetId`` returns (``region:uuid``), *not* the user pool's ``sub`` claim.
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.access import role_policy_document
from components.config import Settings
from components.identity import Identity
from components.storage import FileBucket

FOLDER_KEY = "identityId"


class UserFiles(pulumi.ComponentResource):
    identity: Identity
    storage: FileBucket
    role_policies: dict[str, aws.iam.RolePolicy]
    client_config: pulumi.Output[dict[str, str]]

    def __init__(self, name: str, settings: Settings, opts: pulumi.ResourceOptions | None = None) -> None:
        if settings.access.guest and not settings.identity.allow_guests:
            raise ValueError("guest access rules need allow_guests=True")
        super().__init__("cognito-user-files:index:UserFiles", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        # Invokes are answered at preview, so the account id, region and partition are known then.
        account_id = aws.get_caller_identity_output().account_id
        partition = aws.get_partition_output().partition
        self.region = aws.get_region_output().region

        self.identity = Identity(
            name, settings.identity, account_id=account_id, partition=partition, opts=child
        )
        role_arns: dict[str, pulumi.Input[str]] = {"authenticated": self.identity.authenticated_role_arn}
        roles = {"authenticated": self.identity.authenticated_role}
        if self.identity.guest_role is not None and self.identity.guest_role_arn is not None:
            role_arns["guest"] = self.identity.guest_role_arn
            roles["guest"] = self.identity.guest_role

        self.storage = FileBucket(
            name,
            settings.storage,
            settings.access,
            role_arns=role_arns,
            account_id=account_id,
            region=self.region,
            partition=partition,
            opts=child,
        )

        access = settings.access
        self.role_policies = {}
        for who, role in roles.items():
            if not access.rules(who):
                continue
            document = pulumi.Output.all(self.storage.bucket_name, partition).apply(
                lambda a, who=who: json.dumps(role_policy_document(access, who, a[0], a[1]))
            )
            self.role_policies[who] = aws.iam.RolePolicy(
                f"{name}-{who}-s3",
                role=role.name,
                policy=document,
                opts=child,
            )

        self.client_config = pulumi.Output.all(
            self.region,
            self.identity.user_pool.id,
            self.identity.user_pool_client.id,
            self.identity.identity_pool.id,
            self.storage.bucket_name,
        ).apply(
            lambda v: {
                "region": v[0],
                "userPoolId": v[1],
                "userPoolClientId": v[2],
                "identityPoolId": v[3],
                "bucket": v[4],
                "folderPrefix": settings.folder_prefix,
                "folderKey": FOLDER_KEY,
            }
        )
        self.register_outputs({"clientConfig": self.client_config})
