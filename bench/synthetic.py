"""Synthetic preview-shaped stacks: many tenants of the full Cognito + S3 pattern.

Each tenant registers what a correct program does at a first preview: a user pool and app client, an
identity pool, an authenticated role whose trust policy is UNKNOWN (it needs the pool id) but depends on
the pool, the role attachment, a bucket with Block Public Access, ownership controls, encryption,
versioning, lifecycle and CORS, an inline role policy and a bucket policy whose documents are known
(ARNs built from names), with their property dependencies. Ids and ARNs are unknown.
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


def stack(resources: int) -> list[ResourceRecord]:
    out: list[ResourceRecord] = []
    for i in range(max(1, resources // PER_TENANT)):
        tenant(out, i)
    return out
