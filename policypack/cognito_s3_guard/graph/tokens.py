"""Type tokens of the resources the graph reads (pulumi-aws 7, classic ``aws:`` provider)."""

from __future__ import annotations

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
ROLE_POLICIES_EXCLUSIVE = "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"
ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
BUCKET_TYPES = ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2")
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
IDENTITY_POOL = "aws:cognito/identityPool:IdentityPool"
ROLE_ATTACHMENT = "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment"
USER_GROUP = "aws:cognito/userGroup:UserGroup"
PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP_CONTROLS = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
ENCRYPTION_TYPES = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
)

# pulumi-aws-native (Cloud Control) types: names as the installed SDK spells them (1.84.0).
NATIVE_BUCKET = "aws-native:s3:Bucket"
NATIVE_BUCKET_POLICY = "aws-native:s3:BucketPolicy"
NATIVE_ROLE = "aws-native:iam:Role"
NATIVE_ROLE_POLICY = "aws-native:iam:RolePolicy"
NATIVE_MANAGED_POLICY = "aws-native:iam:ManagedPolicy"
NATIVE_IDENTITY_POOL = "aws-native:cognito:IdentityPool"
NATIVE_ROLE_ATTACHMENT = "aws-native:cognito:IdentityPoolRoleAttachment"
NATIVE_USER_GROUP = "aws-native:cognito:UserPoolGroup"

# The identity pools whose own inputs identity-pool-settings judges (both providers spell them alike).
IDENTITY_POOL_TYPES = (IDENTITY_POOL, NATIVE_IDENTITY_POOL)
