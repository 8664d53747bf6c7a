"""What the ``aws-native`` provider computes, for the offline mocks (:mod:`offline.mockrun`).

The names and shapes come from the installed ``pulumi-aws-native`` SDK (1.84) and the provider's
behaviour, not from CloudFormation docs (``tests/native/sdk_names.py`` holds the table and a test checks
it against the SDK):

- **Autonaming** (the provider's ``Check``, so known at a first preview): the provider names the input
  property ``name``, else ``<TypeName>Name``, else the one ``<X>Name`` whose ``X`` ends the type name
  (``RolePolicy`` -> ``policyName``, ``UserPoolClient`` -> ``clientName``), as
  ``<logical name>-<7 hex>``. Unlike classic ``pulumi-aws`` it does not lower-case bucket names.
- **Create** (unknown at a first preview): output-only properties (``arn``, ``roleId``, ``awsId``,
  ``clientId``, ``policyArn``, ``userPoolId``, ``providerName`` ...) and the resource id, which is the
  Cloud Control primary identifier (compound identifiers joined with ``|``, as Cloud Control joins them).
- **Invokes**: ``aws-native:index:getAccountId``, ``getRegion``, ``getPartition``, ``getUrlSuffix``.

Pure functions; no import of the SDK (the gate runs programs that may not use it).
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

NATIVE_PREFIX = "aws-native:"

#: Type token -> the input property the provider autonames when the program leaves it out.
NATIVE_AUTONAME_PROPERTY: dict[str, str] = {
    "aws-native:s3:Bucket": "bucketName",
    "aws-native:iam:Role": "roleName",
    "aws-native:iam:RolePolicy": "policyName",
    "aws-native:iam:ManagedPolicy": "managedPolicyName",
    "aws-native:iam:User": "userName",
    "aws-native:iam:Group": "groupName",
    "aws-native:cognito:IdentityPool": "identityPoolName",
    "aws-native:cognito:UserPool": "userPoolName",
    "aws-native:cognito:UserPoolClient": "clientName",
    "aws-native:cognito:UserPoolGroup": "groupName",
}

_CREATED = "2026-01-01T00:00:00Z"


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("\x00".join(map(str, ("native", *parts))).encode()).digest()


def _uuid(*parts: str) -> str:
    return str(uuid.UUID(bytes=_digest(*parts)[:16], version=4))


def _alnum(length: int, *parts: str, upper: bool = False) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    if upper:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    raw = _digest(*parts)
    while len(raw) < length:
        raw += _digest(raw.hex())
    return "".join(alphabet[b % len(alphabet)] for b in raw[:length])


def _iam_id(prefix: str, *parts: str) -> str:
    return prefix + _alnum(17, *parts).upper()


def native_invoke_answer(
    token: str, account_id: str, region: str, partition: str, dns_suffix: str
) -> dict[str, Any] | None:
    """The answer of an ``aws-native:index:*`` invoke, or None when the mocks do not answer it."""
    answers: dict[str, dict[str, Any]] = {
        "aws-native:index:getAccountId": {"accountId": account_id},
        "aws-native:index:getRegion": {"region": region},
        "aws-native:index:getPartition": {"partition": partition, "dnsSuffix": dns_suffix},
        "aws-native:index:getUrlSuffix": {"urlSuffix": dns_suffix},
    }
    return answers.get(token)


def _s3(type_token: str, name: str, inputs: dict[str, Any], ctx: dict[str, str]) -> dict[str, Any] | None:
    if type_token == "aws-native:s3:Bucket":
        bucket = inputs.get("bucketName") or name
        return {
            "id": bucket,
            "arn": f"arn:{ctx['partition']}:s3:::{bucket}",
            "domainName": f"{bucket}.s3.{ctx['dns']}",
            "dualStackDomainName": f"{bucket}.s3.dualstack.{ctx['region']}.{ctx['dns']}",
            "regionalDomainName": f"{bucket}.s3.{ctx['region']}.{ctx['dns']}",
            "websiteUrl": f"http://{bucket}.s3-website-{ctx['region']}.{ctx['dns']}",
        }
    if type_token == "aws-native:s3:BucketPolicy":
        return {"id": inputs.get("bucket") or name}
    return None


def _iam(type_token: str, name: str, inputs: dict[str, Any], ctx: dict[str, str]) -> dict[str, Any] | None:
    acct, part = ctx["account"], ctx["partition"]
    if type_token == "aws-native:iam:Role":
        role, path = inputs.get("roleName") or name, inputs.get("path") or "/"
        return {
            "id": role,
            "arn": f"arn:{part}:iam::{acct}:role{path}{role}",
            "roleId": _iam_id("AROA", type_token, role),
        }
    if type_token == "aws-native:iam:RolePolicy":
        return {"id": f"{inputs.get('policyName') or name}|{inputs.get('roleName')}"}
    if type_token == "aws-native:iam:ManagedPolicy":
        policy, path = inputs.get("managedPolicyName") or name, inputs.get("path") or "/"
        policy_arn = f"arn:{part}:iam::{acct}:policy{path}{policy}"
        return {
            "id": policy_arn,
            "policyArn": policy_arn,
            "policyId": _iam_id("ANPA", type_token, policy),
            "attachmentCount": len(inputs.get("roles") or [])
            + len(inputs.get("users") or [])
            + len(inputs.get("groups") or []),
            "createDate": _CREATED,
            "updateDate": _CREATED,
            "defaultVersionId": "v1",
            "isAttachable": True,
            "permissionsBoundaryUsageCount": 0,
        }
    if type_token in ("aws-native:iam:User", "aws-native:iam:Group"):
        kind = "user" if type_token.endswith("User") else "group"
        principal = inputs.get(f"{kind}Name") or name
        return {
            "id": principal,
            "arn": f"arn:{part}:iam::{acct}:{kind}{inputs.get('path') or '/'}{principal}",
        }
    return None


def _cognito_pools(
    type_token: str, name: str, inputs: dict[str, Any], ctx: dict[str, str]
) -> dict[str, Any] | None:
    acct, part, region = ctx["account"], ctx["partition"], ctx["region"]
    if type_token == "aws-native:cognito:UserPool":
        pool_id = f"{region}_{_alnum(9, type_token, name, upper=True)}"
        provider = f"cognito-idp.{region}.{ctx['dns']}/{pool_id}"
        return {
            "id": pool_id,
            "userPoolId": pool_id,
            "arn": f"arn:{part}:cognito-idp:{region}:{acct}:userpool/{pool_id}",
            "providerName": provider,
            "providerUrl": f"https://{provider}",
        }
    if type_token == "aws-native:cognito:IdentityPool":
        pool_id = f"{region}:{_uuid(type_token, name)}"
        return {"id": pool_id, "awsId": pool_id, "name": inputs.get("identityPoolName") or name}
    if type_token == "aws-native:cognito:IdentityPoolRoleAttachment":
        attachment_id = inputs.get("identityPoolId") or _uuid(type_token, name)
        return {"id": attachment_id, "awsId": attachment_id}
    return None


def _cognito_clients(
    type_token: str, name: str, inputs: dict[str, Any], ctx: dict[str, str]
) -> dict[str, Any] | None:
    if type_token == "aws-native:cognito:UserPoolClient":
        client_id = _alnum(26, type_token, name)
        outputs: dict[str, Any] = {
            "id": f"{inputs.get('userPoolId')}|{client_id}",
            "clientId": client_id,
            "name": inputs.get("clientName") or name,
        }
        if inputs.get("generateSecret"):
            outputs["clientSecret"] = _alnum(51, type_token, name, "secret")
        return outputs
    if type_token == "aws-native:cognito:UserPoolGroup":
        return {"id": f"{inputs.get('userPoolId')}|{inputs.get('groupName') or name}"}
    if type_token == "aws-native:kms:Key":
        key_id = _uuid(type_token, name)
        arn = f"arn:{ctx['partition']}:kms:{ctx['region']}:{ctx['account']}:key/{key_id}"
        return {"id": key_id, "keyId": key_id, "arn": arn}
    return None


def native_computed_outputs(
    account: Any, type_token: str, name: str, inputs: dict[str, Any]
) -> dict[str, Any]:
    """The outputs the aws-native provider computes on create, ``id`` (the primary identifier) included.

    ``account`` is the mocks' account (``account_id``, ``region``, ``partition``, ``dns_suffix``).
    """
    ctx = {
        "account": account.account_id,
        "region": account.region,
        "partition": account.partition,
        "dns": account.dns_suffix,
    }
    for family in (_s3, _iam, _cognito_pools, _cognito_clients):
        outputs = family(type_token, name, inputs, ctx)
        if outputs is not None:
            return outputs
    return {"id": f"{name}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"}
