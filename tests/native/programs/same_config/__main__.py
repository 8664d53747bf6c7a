"""One configuration, each part from pulumi_aws (classic) or pulumi_aws_native, by config.

Parts: ``identity`` (user pool, client, identity pool, role attachment), ``role`` (the authenticated
role, its RolePolicy, a managed policy), ``bucket`` (the bucket and its hardening: separate classic
resources, or inline native properties) and ``policy`` (the bucket policy). Logical names are the same
in both providers, so the pack's verdicts compare by name. ``mistake`` breaks one thing (see MISTAKES).
ARNs in documents are built from names known at a first preview, except in ``arn-document``.
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_aws_native as native

PROVIDERS = ("classic", "native")
MISTAKES = (
    "none",
    "no-bucket-policy",  # granting-bucket-policy on the bucket
    "widened-grant",  # no-widening on the bucket policy: users/* instead of users/${sub}
    "no-aud",  # cognito-role-trust on the role
    "guests",  # identity-pool-settings on the identity pool
    "no-hardening",  # bucket-hardening: no public-access block
    "shared-folder",  # per-identity-scope: the role (and the bucket policy) read public/*
    "malformed-document",  # readable-documents: the role policy's Statement is not a statement
    "aws-managed",  # AmazonS3ReadOnlyAccess in the role's managedPolicyArns: reaches every bucket
    "managed-policy-roles",  # a managed policy attached by role name grants what the bucket policy does not
    "arn-document",  # the role policy is built from the bucket's ARN output: unknown at preview
    "unassumable-trust",  # the attached role trusts a service, not Cognito identities
)
config = pulumi.Config()
part = {p: config.get(p) or "classic" for p in ("identity", "role", "bucket", "policy")}
mistake = config.get("mistake") or "none"
for key, value in part.items():
    if value not in PROVIDERS:
        raise ValueError(f"same-config:{key} is {value!r}; allowed: {', '.join(PROVIDERS)}")
if mistake not in MISTAKES:
    raise ValueError(f"same-config:mistake is {mistake!r}; allowed: {', '.join(MISTAKES)}")

COGNITO = "cognito-identity.amazonaws.com"
SUB = "${cognito-identity.amazonaws.com:sub}"
VERSION = "2012-10-17"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
account_id = (
    native.get_account_id_output().account_id
    if part["role"] == "native"
    else aws.get_caller_identity_output().account_id
)


def trust(pool_id: str | None) -> dict:
    if mistake == "unassumable-trust":
        lambda_only = {"Service": "lambda.amazonaws.com"}
        service = {"Effect": "Allow", "Principal": lambda_only, "Action": "sts:AssumeRole"}
        return {"Version": VERSION, "Statement": [service]}
    conditions: dict = {"ForAnyValue:StringLike": {f"{COGNITO}:amr": "authenticated"}}
    if pool_id is not None:
        conditions["StringEquals"] = {f"{COGNITO}:aud": pool_id}
    statement = {
        "Effect": "Allow",
        "Principal": {"Federated": COGNITO},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": conditions,
    }
    return {"Version": VERSION, "Statement": [statement]}


def statements(arn: str, folder: str) -> list[dict]:
    """Objects under users/<folder>/, a listing of that prefix only; public/* when shared."""
    out = [
        {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
         "Resource": f"{arn}/users/{folder}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn,
         "Condition": {"StringLike": {"s3:prefix": [f"users/{folder}/", f"users/{folder}/*"]}}},
    ]  # fmt: skip
    if mistake == "shared-folder":
        out.append({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/public/*"})
    return out


def role_document(arn: str) -> dict:
    if mistake == "malformed-document":
        return {"Version": VERSION, "Statement": "not a statement"}
    return {"Version": VERSION, "Statement": statements(arn, SUB)}


def bucket_document(args: list[str]) -> dict:
    name, principal = args
    arn = f"arn:aws:s3:::{name}"
    folder = "*" if mistake == "widened-grant" else SUB
    deny_plain_http = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    grants = [{**s, "Principal": {"AWS": principal}} for s in statements(arn, folder)]
    return {"Version": VERSION, "Statement": [deny_plain_http, *grants]}


def versions_document(name: str) -> dict:
    resource = f"arn:aws:s3:::{name}/users/{SUB}/*"
    return {"Version": VERSION, "Statement": [{"Effect": "Allow", "Action": "s3:GetObjectVersion",
                                                "Resource": resource}]}  # fmt: skip


# --- identity ------------------------------------------------------------------------------------
guests = mistake == "guests"
if part["identity"] == "native":
    users = native.cognito.UserPool("users", username_attributes=["email"])
    web = native.cognito.UserPoolClient(
        "web", user_pool_id=users.user_pool_id, generate_secret=False, explicit_auth_flows=FLOWS
    )
    identities = native.cognito.IdentityPool(
        "identities",
        identity_pool_name="same_config_identities",
        allow_unauthenticated_identities=guests,
        allow_classic_flow=False,
        cognito_identity_providers=[
            native.cognito.IdentityPoolCognitoIdentityProviderArgs(
                client_id=web.client_id, provider_name=users.provider_name, server_side_token_check=True
            )
        ],
    )
    pool_id = identities.aws_id
else:
    users = aws.cognito.UserPool("users", username_attributes=["email"], mfa_configuration="OFF")
    web = aws.cognito.UserPoolClient(
        "web", user_pool_id=users.id, generate_secret=False, explicit_auth_flows=FLOWS
    )
    identities = aws.cognito.IdentityPool(
        "identities",
        identity_pool_name="same_config_identities",
        allow_unauthenticated_identities=guests,
        allow_classic_flow=False,
        cognito_identity_providers=[
            {"client_id": web.id, "provider_name": users.endpoint, "server_side_token_check": True}
        ],
    )
    pool_id = identities.id

# --- the bucket ----------------------------------------------------------------------------------
if part["bucket"] == "native":
    block = native.s3.BucketPublicAccessBlockConfigurationArgs(
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    bucket = native.s3.Bucket(
        "files",
        public_access_block_configuration=None if mistake == "no-hardening" else block,
        ownership_controls=native.s3.BucketOwnershipControlsArgs(
            rules=[native.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced")]
        ),
        bucket_encryption=native.s3.BucketEncryptionArgs(
            server_side_encryption_configuration=[
                native.s3.BucketServerSideEncryptionRuleArgs(
                    server_side_encryption_by_default=native.s3.BucketServerSideEncryptionByDefaultArgs(
                        sse_algorithm="AES256"
                    )
                )
            ]
        ),
    )
    bucket_name = bucket.bucket_name
else:
    bucket = aws.s3.Bucket("files")
    bucket_name = bucket.bucket
    if mistake != "no-hardening":
        aws.s3.BucketPublicAccessBlock(
            "files-public-access", bucket=bucket_name, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True,
        )  # fmt: skip
    aws.s3.BucketOwnershipControls(
        "files-ownership", bucket=bucket_name, rule={"object_ownership": "BucketOwnerEnforced"}
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        "files-encryption",
        bucket=bucket_name,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
    )
bucket_arn = bucket.arn if mistake == "arn-document" else bucket_name.apply(lambda n: f"arn:aws:s3:::{n}")

# --- the role ------------------------------------------------------------------------------------
trust_document = trust(None) if mistake in ("no-aud", "unassumable-trust") else pool_id.apply(trust)
managed = ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"] if mistake == "aws-managed" else None
if part["role"] == "native":
    role = native.iam.Role(
        "authenticated", assume_role_policy_document=trust_document, managed_policy_arns=managed
    )
    role_name = role.role_name
    native.iam.RolePolicy(
        "authenticated-files", role_name=role_name, policy_document=bucket_arn.apply(role_document)
    )
    if mistake == "managed-policy-roles":
        native.iam.ManagedPolicy(
            "authenticated-versions", roles=[role_name], policy_document=bucket_name.apply(versions_document)
        )
else:
    role = aws.iam.Role(
        "authenticated",
        assume_role_policy=pulumi.Output.from_input(trust_document).apply(json.dumps),
        managed_policy_arns=managed,
    )
    role_name = role.name
    aws.iam.RolePolicy(
        "authenticated-files",
        role=role_name,
        policy=bucket_arn.apply(lambda a: json.dumps(role_document(a))),
    )
    if mistake == "managed-policy-roles":
        versions = aws.iam.Policy(
            "authenticated-versions", policy=bucket_name.apply(lambda n: json.dumps(versions_document(n)))
        )
        aws.iam.PolicyAttachment("authenticated-versions", roles=[role_name], policy_arn=versions.arn)
role_arn = pulumi.Output.format("arn:aws:iam::{0}:role/{1}", account_id, role_name)

if part["identity"] == "native":
    native.cognito.IdentityPoolRoleAttachment(
        "identities-roles", identity_pool_id=identities.aws_id, roles={"authenticated": role_arn}
    )
else:
    aws.cognito.IdentityPoolRoleAttachment(
        "identities-roles", identity_pool_id=identities.id, roles={"authenticated": role_arn}
    )

# --- the bucket policy ---------------------------------------------------------------------------
if mistake != "no-bucket-policy":
    document = pulumi.Output.all(bucket_name, role_arn).apply(bucket_document)
    if part["policy"] == "native":
        native.s3.BucketPolicy("files-policy", bucket=bucket_name, policy_document=document)
    else:
        aws.s3.BucketPolicy("files-policy", bucket=bucket_name, policy=document.apply(json.dumps))

pulumi.export("bucket", bucket_name)
