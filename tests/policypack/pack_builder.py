"""Hand-built stacks for the pack's tests, as the engine would describe them to an analyzer.

A first preview: provider-computed values (ids, ARNs) are UNKNOWN, names are known, and a document built
from an unknown is UNKNOWN but keeps its property dependencies. Deployed: every value is known.
The "full pattern" (one tenant) mirrors what a correct program registers: identity pool, authenticated
role with a Cognito trust, role attachment, inline role policy, a hardened bucket and its policy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from offline.model import UNKNOWN, ResourceRecord, StackCapture

ACCOUNT = "123456789012"
REGION = "us-east-1"
SUB = "${cognito-identity.amazonaws.com:sub}"
OBJECT_ACTIONS = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_V2 = "aws:s3/bucketV2:BucketV2"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
POLICY = "aws:iam/policy:Policy"
RPA = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
PA = "aws:iam/policyAttachment:PolicyAttachment"
RPAE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive"
RPE = "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive"
POOL = "aws:cognito/identityPool:IdentityPool"
ATTACH = "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment"
BPA = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"


def doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def role_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def role_statements(bucket: str) -> list[dict[str, Any]]:
    """Our program's per-user statements (role side)."""
    return [
        {"Effect": "Allow", "Action": OBJECT_ACTIONS, "Resource": f"arn:aws:s3:::{bucket}/users/{SUB}/*"},
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{bucket}",
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}},
        },
    ]


def with_principal(statements: list[dict[str, Any]], principal: Any) -> list[dict[str, Any]]:
    return [{**s, "Principal": principal} for s in statements]


def tls_deny(bucket: str) -> dict[str, Any]:
    return {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def mirror_bucket_policy(bucket: str, role: str) -> str:
    return doc(*with_principal(role_statements(bucket), {"AWS": role_arn(role)}), tls_deny(bucket))


def trust(
    pool_id: str, *, aud: bool = True, amr: bool = True, action: str = "sts:AssumeRoleWithWebIdentity"
) -> str:
    cond: dict[str, Any] = {}
    if aud:
        cond["StringEquals"] = {"cognito-identity.amazonaws.com:aud": pool_id}
    if amr:
        cond["ForAnyValue:StringLike"] = {"cognito-identity.amazonaws.com:amr": "authenticated"}
    stmt: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": action,
    }
    if cond:
        stmt["Condition"] = cond
    return doc(stmt)


@dataclass
class StackBuilder:
    preview: bool = True
    project: str = "files"
    stack: str = "test"
    resources: list[ResourceRecord] = field(default_factory=list)

    def urn(self, rtype: str, name: str) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{rtype}::{name}"

    def computed(self, value: Any) -> Any:
        """A provider-computed value: unknown at preview, ``value`` once deployed."""
        return UNKNOWN if self.preview else value

    def add(
        self,
        rtype: str,
        name: str,
        inputs: dict[str, Any] | None = None,
        *,
        computed: dict[str, Any] | None = None,
        deps: dict[str, list[str]] | None = None,
        parent: str | None = None,
    ) -> ResourceRecord:
        """Register a resource: ``inputs`` as given, outputs = inputs + computed (unknown at preview)."""
        inputs = dict(inputs or {})
        outputs = {**inputs, **{k: self.computed(v) for k, v in (computed or {}).items()}}
        deps = {k: list(v) for k, v in (deps or {}).items()}
        record = ResourceRecord(
            urn=self.urn(rtype, name),
            type=rtype,
            name=name,
            parent=parent,
            inputs=inputs,
            outputs=outputs,
            dependencies=list(dict.fromkeys(u for us in deps.values() for u in us)),
            property_dependencies=deps,
        )
        self.resources.append(record)
        return record

    def capture(self) -> StackCapture:
        return StackCapture(self.project, self.stack, self.preview, list(self.resources))

    # --- the full pattern ------------------------------------------------------------------------

    def pool(self, name: str = "pool", **overrides: Any) -> ResourceRecord:
        pool_id = f"{REGION}:0000-{name}"
        props = {
            "identityPoolName": name,
            "allowClassicFlow": False,
            "allowUnauthenticatedIdentities": False,
            "cognitoIdentityProviders": [
                {"clientId": "client123", "providerName": "cognito-idp.us-east-1.amazonaws.com/us-east-1_x",
                 "serverSideTokenCheck": True}
            ],
            **overrides,
        }  # fmt: skip
        return self.add(POOL, name, props, computed={"id": pool_id, "arn": f"arn:pool/{pool_id}"})

    def role(
        self,
        name: str = "auth-role",
        *,
        pool: ResourceRecord | None = None,
        trust_doc: str | None = None,
        extra: dict[str, Any] | None = None,
        deps: dict[str, list[str]] | None = None,
    ) -> ResourceRecord:
        """A role named ``name``; by default trusted by ``pool`` (unknown at preview: it needs "
        "the pool id)."""
        d = dict(deps or {})
        if trust_doc is None and pool is not None:
            trust_doc = self.computed(trust(pool_id_of(pool)))
            d.setdefault("assumeRolePolicy", [pool.urn])
        props = {"name": name, "path": "/", "assumeRolePolicy": trust_doc, **(extra or {})}
        computed = {"arn": role_arn(name), "id": name, "uniqueId": "AROA1"}
        return self.add(ROLE, name, props, computed=computed, deps=d)

    def attach(self, pool: ResourceRecord, *roles: ResourceRecord, name: str = "roles") -> ResourceRecord:
        return self.add(
            ATTACH,
            name,
            {"identityPoolId": self.computed(pool_id_of(pool)),
             "roles": {"authenticated": self.computed(role_arn(roles[0].name))}},
            deps={"identityPoolId": [pool.urn], "roles": [r.urn for r in roles]},
        )  # fmt: skip

    def bucket(self, name: str = "files", rtype: str = BUCKET, **extra: Any) -> ResourceRecord:
        return self.add(rtype, name, {"bucket": name, **extra},
                        computed={"arn": f"arn:aws:s3:::{name}", "id": name})  # fmt: skip

    def role_policy(self, role: ResourceRecord, bucket: ResourceRecord, policy: str | None = None,
                    name: str = "files-access") -> ResourceRecord:  # fmt: skip
        """An inline RolePolicy; its document is known at preview (ARNs built from names)."""
        return self.add(
            ROLE_POLICY,
            name,
            {"role": role.name, "name": name, "policy": policy or doc(*role_statements(bucket.name))},
            computed={"id": f"{role.name}:{name}"},
            deps={"role": [role.urn], "policy": [bucket.urn]},
        )

    def bucket_policy(self, bucket: ResourceRecord, role: ResourceRecord | None, policy: str | None = None,
                      name: str = "files-policy") -> ResourceRecord:  # fmt: skip
        return self.add(
            BUCKET_POLICY,
            name,
            {
                "bucket": bucket.name,
                "policy": policy or mirror_bucket_policy(bucket.name, role.name if role else "x"),
            },
            deps={"bucket": [bucket.urn], "policy": [bucket.urn] + ([role.urn] if role else [])},
        )

    def hardening(self, bucket: ResourceRecord, suffix: str = "") -> None:
        self.add(BPA, f"{bucket.name}-bpa{suffix}",
                 {"bucket": bucket.name, "blockPublicAcls": True, "blockPublicPolicy": True,
                  "ignorePublicAcls": True, "restrictPublicBuckets": True},
                 deps={"bucket": [bucket.urn]})  # fmt: skip
        self.add(OWNERSHIP, f"{bucket.name}-ownership{suffix}",
                 {"bucket": bucket.name, "rule": {"objectOwnership": "BucketOwnerEnforced"}},
                 deps={"bucket": [bucket.urn]})  # fmt: skip
        self.add(SSE, f"{bucket.name}-sse{suffix}",
                 {"bucket": bucket.name,
                  "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]},
                 deps={"bucket": [bucket.urn]})  # fmt: skip


def pool_id_of(pool: ResourceRecord) -> str:
    return f"{REGION}:0000-{pool.name}"


@dataclass
class Tenant:
    pool: ResourceRecord
    role: ResourceRecord
    attachment: ResourceRecord
    bucket: ResourceRecord
    role_policy: ResourceRecord | None
    bucket_policy: ResourceRecord | None


def full_pattern(b: StackBuilder, prefix: str = "", *, with_bucket_policy: bool = True) -> Tenant:
    """One tenant of the correct program: everything a clean stack has."""
    pool = b.pool(f"{prefix}pool")
    role = b.role(f"{prefix}auth-role", pool=pool)
    attachment = b.attach(pool, role, name=f"{prefix}roles")
    bucket = b.bucket(f"{prefix}files")
    b.hardening(bucket)
    rp = b.role_policy(role, bucket, name=f"{prefix}files-access")
    bp = b.bucket_policy(bucket, role, name=f"{prefix}files-policy") if with_bucket_policy else None
    return Tenant(pool, role, attachment, bucket, rp, bp)
