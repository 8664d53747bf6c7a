"""Synthetic preview-shaped stacks: many tenants of the full Cognito + S3 pattern.

Each tenant registers what a correct program does at a first preview: a user pool and app client, an
identity pool, an authenticated role whose trust policy is UNKNOWN (it needs the pool id) but depends on
the pool, the role attachment, a bucket with Block Public Access, ownership controls, encryption,
versioning, lifecycle and CORS, an inline role policy and a bucket policy whose documents are known
(ARNs built from names), with their property dependencies. Ids and ARNs are unknown.

``native_tenant`` is the same tenant in pulumi-aws-native shapes (8 resources: the bucket's hardening is
inline, documents are objects); ``stack(n, "native")`` builds a stack of those.
"""

from __future__ import annotations

import json

from offline.model import UNKNOWN, ResourceRecord

ACCOUNT = "123456789012"
SUB = "${cognito-identity.amazonaws.com:sub}"
PER_TENANT = 14


def _urn(t: str, name: str) -> str:
    return f"urn:pulumi:bench::files::{t}::{name}"


def _add(out: list[ResourceRecord], t: str, name: str, props: dict, computed: tuple[str, ...] = ("id",),
         deps: dict[str, list[str]] | None = None) -> ResourceRecord:  # fmt: skip
    deps = deps or {}
    outputs = {**props, **{k: UNKNOWN for k in computed}}
    r = ResourceRecord(
        urn=_urn(t, name), type=t, name=name, inputs=props, outputs=outputs,
        dependencies=list(dict.fromkeys(u for us in deps.values() for u in us)), property_dependencies=deps,
    )  # fmt: skip
    out.append(r)
    return r


def tenant(out: list[ResourceRecord], i: int) -> None:
    bucket_name, role_name = f"files-{i:05d}-a1b2c3d", f"auth-role-{i:05d}-e4f5a6b"
    up = _add(out, "aws:cognito/userPool:UserPool", f"users-{i}",
              {"name": f"users-{i}", "mfaConfiguration": "OPTIONAL", "usernameAttributes": ["email"]},
              ("id", "arn", "endpoint"))  # fmt: skip
    client = _add(out, "aws:cognito/userPoolClient:UserPoolClient", f"web-{i}",
                  {"name": f"web-{i}", "userPoolId": UNKNOWN, "generateSecret": False,
                   "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
                  deps={"userPoolId": [up.urn]})  # fmt: skip
    pool = _add(out, "aws:cognito/identityPool:IdentityPool", f"pool-{i}",
                {"identityPoolName": f"pool {i}", "allowClassicFlow": False,
                 "allowUnauthenticatedIdentities": False,
                 "cognitoIdentityProviders": [{"clientId": UNKNOWN, "providerName": UNKNOWN,
                                               "serverSideTokenCheck": True}]},
                ("id", "arn"), deps={"cognitoIdentityProviders": [client.urn, up.urn]})  # fmt: skip
    role = _add(out, "aws:iam/role:Role", f"auth-role-{i}",
                {"name": role_name, "path": "/", "assumeRolePolicy": UNKNOWN},
                ("id", "arn", "uniqueId"), deps={"assumeRolePolicy": [pool.urn]})  # fmt: skip
    _add(out, "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment", f"roles-{i}",
         {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}},
         deps={"identityPoolId": [pool.urn], "roles": [role.urn]})  # fmt: skip
    bucket = _add(out, "aws:s3/bucket:Bucket", f"files-{i}", {"bucket": bucket_name, "forceDestroy": False},
                  ("id", "arn", "bucketDomainName"))  # fmt: skip
    for t, n, p in (
        ("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bpa",
         {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True,
          "restrictPublicBuckets": True}),
        ("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "ownership",
         {"rule": {"objectOwnership": "BucketOwnerEnforced"}}),
        ("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse",
         {"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}),
        ("aws:s3/bucketVersioning:BucketVersioning", "versioning",
         {"versioningConfiguration": {"status": "Enabled"}}),
        ("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle",
         {"rules": [{"id": "old-versions", "status": "Enabled",
                     "noncurrentVersionExpiration": {"noncurrentDays": 30},
                     "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}}]}),
        ("aws:s3/bucketCorsConfiguration:BucketCorsConfiguration", "cors",
         {"corsRules": [{"allowedMethods": ["GET", "PUT", "DELETE"],
                         "allowedOrigins": ["https://app.example.com"], "allowedHeaders": ["*"]}]}),
    ):  # fmt: skip
        _add(out, t, f"files-{i}-{n}", {"bucket": bucket_name, **p}, deps={"bucket": [bucket.urn]})
    role_stmts = [
        {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
         "Resource": f"arn:aws:s3:::{bucket_name}/users/{SUB}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{bucket_name}",
         "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}}},
    ]  # fmt: skip
    _add(out, "aws:iam/rolePolicy:RolePolicy", f"files-access-{i}",
         {"role": role_name, "name": "files-access",
          "policy": json.dumps({"Version": "2012-10-17", "Statement": role_stmts})},
         deps={"role": [role.urn], "policy": [bucket.urn]})  # fmt: skip
    principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/{role_name}"}
    tls = {"Effect": "Deny", "Principal": "*", "Action": "s3:*",
           "Resource": [f"arn:aws:s3:::{bucket_name}", f"arn:aws:s3:::{bucket_name}/*"],
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
    _add(out, "aws:s3/bucketPolicy:BucketPolicy", f"files-policy-{i}",
         {"bucket": bucket_name, "policy": json.dumps({"Version": "2012-10-17", "Statement": [
             *({**s, "Principal": principal} for s in role_stmts), tls]})},
         deps={"bucket": [bucket.urn], "policy": [bucket.urn, role.urn]})  # fmt: skip


NATIVE_PER_TENANT = 8
NATIVE_BUCKET_SETTINGS = {
    "publicAccessBlockConfiguration": {"blockPublicAcls": True, "blockPublicPolicy": True,
                                       "ignorePublicAcls": True, "restrictPublicBuckets": True},
    "ownershipControls": {"rules": [{"objectOwnership": "BucketOwnerEnforced"}]},
    "bucketEncryption": {"serverSideEncryptionConfiguration": [
        {"serverSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
    "versioningConfiguration": {"status": "Enabled"},
    "lifecycleConfiguration": {"rules": [{"id": "old-versions", "status": "Enabled",
                                          "noncurrentVersionExpiration": {"noncurrentDays": 30},
                                          "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7}}]},
    "corsConfiguration": {"corsRules": [{"allowedMethods": ["GET", "PUT", "DELETE"],
                                         "allowedOrigins": ["https://app.example.com"],
                                         "allowedHeaders": ["*"]}]},
}  # fmt: skip


def _documents(bucket_name: str, role_name: str) -> tuple[dict, dict]:
    """The role's per-identity document and the bucket policy that mirrors it (plus TLS-only), as objects."""
    arn = f"arn:aws:s3:::{bucket_name}"
    role_stmts = [
        {"Effect": "Allow", "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
         "Resource": f"{arn}/users/{SUB}/*"},
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": arn,
         "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}}},
    ]  # fmt: skip
    principal = {"AWS": f"arn:aws:iam::{ACCOUNT}:role/{role_name}"}
    tls = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}  # fmt: skip
    grants = [{**s, "Principal": principal} for s in role_stmts]
    return (
        {"Version": "2012-10-17", "Statement": role_stmts},
        {"Version": "2012-10-17", "Statement": [*grants, tls]},
    )


def native_tenant(out: list[ResourceRecord], i: int) -> None:
    """The same tenant in pulumi-aws-native shapes: provider-made names known, ARNs and ids unknown,
    hardening inline in the bucket, documents as objects."""
    bucket_name, role_name = f"files-{i:05d}-a1b2c3d", f"auth-role-{i:05d}-e4f5a6b"
    up = _add(out, "aws-native:cognito:UserPool", f"users-{i}",
              {"userPoolName": f"users-{i}-0a1b2c3", "mfaConfiguration": "OPTIONAL",
               "usernameAttributes": ["email"]},
              ("userPoolId", "arn", "providerName", "providerUrl"))  # fmt: skip
    client = _add(out, "aws-native:cognito:UserPoolClient", f"web-{i}",
                  {"clientName": f"web-{i}-0a1b2c3", "userPoolId": UNKNOWN, "generateSecret": False,
                   "explicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]},
                  ("clientId", "name"), deps={"userPoolId": [up.urn]})  # fmt: skip
    pool = _add(out, "aws-native:cognito:IdentityPool", f"pool-{i}",
                {"identityPoolName": f"pool_{i}", "allowClassicFlow": False,
                 "allowUnauthenticatedIdentities": False,
                 "cognitoIdentityProviders": [{"clientId": UNKNOWN, "providerName": UNKNOWN,
                                               "serverSideTokenCheck": True}]},
                ("awsId", "name"), deps={"cognitoIdentityProviders": [client.urn, up.urn]})  # fmt: skip
    role = _add(out, "aws-native:iam:Role", f"auth-role-{i}",
                {"roleName": role_name, "path": "/", "assumeRolePolicyDocument": UNKNOWN},
                ("arn", "roleId"), deps={"assumeRolePolicyDocument": [pool.urn]})  # fmt: skip
    _add(out, "aws-native:cognito:IdentityPoolRoleAttachment", f"roles-{i}",
         {"identityPoolId": UNKNOWN, "roles": {"authenticated": UNKNOWN}},
         ("awsId",), deps={"identityPoolId": [pool.urn], "roles": [role.urn]})  # fmt: skip
    bucket = _add(out, "aws-native:s3:Bucket", f"files-{i}",
                  {"bucketName": bucket_name, **NATIVE_BUCKET_SETTINGS},
                  ("arn", "domainName", "regionalDomainName"))  # fmt: skip
    role_doc, bucket_doc = _documents(bucket_name, role_name)
    _add(out, "aws-native:iam:RolePolicy", f"files-access-{i}",
         {"roleName": role_name, "policyName": "files-access", "policyDocument": role_doc}, (),
         deps={"roleName": [role.urn], "policyDocument": [bucket.urn]})  # fmt: skip
    _add(out, "aws-native:s3:BucketPolicy", f"files-policy-{i}",
         {"bucket": bucket_name, "policyDocument": bucket_doc}, (),
         deps={"bucket": [bucket.urn], "policyDocument": [bucket.urn, role.urn]})  # fmt: skip


PROVIDERS = {"classic": (tenant, PER_TENANT), "native": (native_tenant, NATIVE_PER_TENANT)}


def stack(resources: int, provider: str = "classic") -> list[ResourceRecord]:
    """About ``resources`` resources: tenants of the full pattern, all classic or all aws-native."""
    make, per_tenant = PROVIDERS[provider]
    out: list[ResourceRecord] = []
    for i in range(max(1, resources // per_tenant)):
        make(out, i)
    return out
