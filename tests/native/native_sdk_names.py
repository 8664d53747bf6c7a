"""The aws-native property and output names the pack reads, as the installed SDK (1.84.0) spells them.

One row per resource type the pack will adapt (issue 12). ``test_native_sdk_names.py`` checks every name
here against the installed ``pulumi_aws_native`` classes (their ``@pulumi.getter(name=...)`` wire names,
their inputs and their output-only properties), so a renamed property fails a test instead of silently
leaving a rule blind. Phase 2's graph adapters read these same names.

At a first preview:
- the ``autoname`` property is known: the provider's ``Check`` fills it in (``<logical name>-<7 hex>``)
  when the program leaves it out (``offline/native_mocks.py`` does the same);
- every ``computed`` output is unknown (the provider learns it from AWS on create), and so is the
  resource id, which is the Cloud Control primary identifier (``id_form``; compound ones joined by
  ``|``).

Nested shapes (the SDK's ``*Args`` types) are in ``NESTED``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NativeType:
    token: str
    sdk_class: str  # pulumi_aws_native.<module>.<class>
    reads: tuple[str, ...]  # inputs the pack reads
    autoname: str | None  # input the provider names at Check (known at preview), if any
    computed: tuple[str, ...]  # output-only properties: AWS-assigned, unknown at a first preview
    id_form: str  # what the resource id is once created


NATIVE_TYPES: tuple[NativeType, ...] = (
    NativeType(
        "aws-native:s3:Bucket",
        "s3.Bucket",
        reads=(
            "bucketName",
            "publicAccessBlockConfiguration",
            "bucketEncryption",
            "ownershipControls",
            "versioningConfiguration",
            "lifecycleConfiguration",
            "corsConfiguration",
            "accessControl",
        ),
        autoname="bucketName",
        computed=("arn", "domainName", "dualStackDomainName", "regionalDomainName", "websiteUrl"),
        id_form="bucketName",
    ),
    NativeType(
        "aws-native:s3:BucketPolicy",
        "s3.BucketPolicy",
        reads=("bucket", "policyDocument"),  # policyDocument: an object (SDK type Any), not JSON text
        autoname=None,
        computed=(),
        id_form="bucket",
    ),
    NativeType(
        "aws-native:iam:Role",
        "iam.Role",
        reads=(
            "assumeRolePolicyDocument",
            "policies",
            "managedPolicyArns",
            "path",
            "roleName",
            "permissionsBoundary",
        ),
        autoname="roleName",
        computed=("arn", "roleId"),
        id_form="roleName",
    ),
    NativeType(
        "aws-native:iam:RolePolicy",
        "iam.RolePolicy",
        reads=("roleName", "policyName", "policyDocument"),  # roleName: the role's NAME
        autoname="policyName",
        computed=(),
        id_form="policyName|roleName",
    ),
    NativeType(
        "aws-native:iam:ManagedPolicy",
        "iam.ManagedPolicy",
        reads=("policyDocument", "roles", "users", "groups", "managedPolicyName", "path"),  # roles: NAMES
        autoname="managedPolicyName",
        computed=(
            "policyArn",
            "policyId",
            "attachmentCount",
            "createDate",
            "defaultVersionId",
            "isAttachable",
            "permissionsBoundaryUsageCount",
            "updateDate",
        ),
        id_form="policyArn",
    ),
    NativeType(
        "aws-native:cognito:IdentityPool",
        "cognito.IdentityPool",
        reads=(
            "identityPoolName",
            "allowUnauthenticatedIdentities",
            "allowClassicFlow",
            "cognitoIdentityProviders",
            "openIdConnectProviderArns",
            "samlProviderArns",
            "supportedLoginProviders",
            "developerProviderName",
        ),
        autoname="identityPoolName",
        computed=("awsId", "name"),  # awsId IS the pool id (region:uuid) that a trust's aud names
        id_form="awsId",
    ),
    NativeType(
        "aws-native:cognito:IdentityPoolRoleAttachment",
        "cognito.IdentityPoolRoleAttachment",
        reads=("identityPoolId", "roles", "roleMappings"),  # roles: {"authenticated": arn, ...}
        autoname=None,
        computed=("awsId",),
        id_form="awsId (the identity pool id)",
    ),
    NativeType(
        "aws-native:cognito:UserPool",
        "cognito.UserPool",
        reads=("userPoolName", "policies", "mfaConfiguration", "deletionProtection", "usernameAttributes"),
        autoname="userPoolName",
        computed=("arn", "providerName", "providerUrl", "userPoolId"),
        id_form="userPoolId",
    ),
    NativeType(
        "aws-native:cognito:UserPoolClient",
        "cognito.UserPoolClient",
        reads=(
            "userPoolId",
            "clientName",
            "generateSecret",
            "explicitAuthFlows",
            "preventUserExistenceErrors",
        ),
        autoname="clientName",
        computed=("clientId", "clientSecret", "name"),  # the resource id is NOT the client id
        id_form="userPoolId|clientId",
    ),
    NativeType(
        "aws-native:cognito:UserPoolGroup",
        "cognito.UserPoolGroup",
        reads=("userPoolId", "groupName", "roleArn", "precedence"),
        autoname="groupName",
        computed=(),
        id_form="userPoolId|groupName",
    ),
)

#: SDK input class (``pulumi_aws_native.<module>.<class>``) -> the wire names of its fields.
NESTED: dict[str, tuple[str, ...]] = {
    "s3.BucketPublicAccessBlockConfigurationArgs": (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ),
    "s3.BucketEncryptionArgs": ("serverSideEncryptionConfiguration",),
    "s3.BucketServerSideEncryptionRuleArgs": ("serverSideEncryptionByDefault", "bucketKeyEnabled"),
    "s3.BucketServerSideEncryptionByDefaultArgs": ("sseAlgorithm", "kmsMasterKeyId"),
    "s3.BucketOwnershipControlsArgs": ("rules",),
    "s3.BucketOwnershipControlsRuleArgs": ("objectOwnership",),
    "s3.BucketVersioningConfigurationArgs": ("status",),
    "s3.BucketLifecycleConfigurationArgs": ("rules",),
    "s3.BucketRuleArgs": (
        "id",
        "status",
        "noncurrentVersionExpiration",
        "abortIncompleteMultipartUpload",
        "expiredObjectDeleteMarker",
    ),
    "iam.RolePolicyArgs": ("policyName", "policyDocument"),
    "cognito.IdentityPoolCognitoIdentityProviderArgs": ("clientId", "providerName", "serverSideTokenCheck"),
    "cognito.IdentityPoolRoleAttachmentRoleMappingArgs": (
        "type",
        "ambiguousRoleResolution",
        "identityProvider",
        "rulesConfiguration",
    ),
    "cognito.IdentityPoolRoleAttachmentRulesConfigurationTypeArgs": ("rules",),
    "cognito.IdentityPoolRoleAttachmentMappingRuleArgs": ("claim", "matchType", "value", "roleArn"),
    "cognito.UserPoolPoliciesArgs": ("passwordPolicy",),
}

#: Invokes a native program uses instead of aws:index/getCallerIdentity etc., and their result fields.
INVOKES: dict[str, tuple[str, ...]] = {
    "aws-native:index:getAccountId": ("accountId",),
    "aws-native:index:getRegion": ("region",),
    "aws-native:index:getPartition": ("partition", "dnsSuffix"),
    "aws-native:index:getUrlSuffix": ("urlSuffix",),
}
