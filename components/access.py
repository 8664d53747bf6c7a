"""Who may do what under which prefix: the access description, and both policy layers rendered from it.

The description is Amplify-Gen-2-like: for each role (``authenticated``, optionally ``guest``), a mapping
from a path to access levels, for example::

    {"users/{identity}/*": ["read", "write", "delete"], "public/*": ["read"]}

``{identity}`` stands for the caller's identity-pool identity ID (``region:uuid``, from Cognito
``GetId``), rendered as ``${cognito-identity.amazonaws.com:sub}``. It is *not* the user pool's ``sub``.

Access levels (as in Amplify): ``get`` (s3:GetObject), ``list`` (s3:ListBucket limited by ``s3:prefix``
to the rule's folder), ``read`` (= get + list), ``write`` (s3:PutObject), ``delete`` (s3:DeleteObject).

From one description this module renders (a) the role's identity-policy statements and (b) the
bucket-policy Allow statements that name the role ARN as principal with exactly the same actions,
resources and conditions, so the bucket policy is never wider than the role's own policy. It also renders
the bucket's TLS-only Deny. It is the only place in the project that writes an S3 statement. Everything
here is pure: names in, JSON-ready dicts out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

IDENTITY = "{identity}"
IDENTITY_VARIABLE = "${cognito-identity.amazonaws.com:sub}"
POLICY_VERSION = "2012-10-17"

#: Access level -> what it grants. ``list`` is the conditioned s3:ListBucket.
LEVELS: dict[str, frozenset[str]] = {
    "get": frozenset({"get"}),
    "list": frozenset({"list"}),
    "read": frozenset({"get", "list"}),
    "write": frozenset({"write"}),
    "delete": frozenset({"delete"}),
}
OBJECT_ACTIONS: dict[str, str] = {
    "get": "s3:GetObject",
    "write": "s3:PutObject",
    "delete": "s3:DeleteObject",
}
LIST_ACTION = "s3:ListBucket"
WHO = ("authenticated", "guest")

_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
#: S3's limit on an object key, in UTF-8 bytes.
MAX_KEY_BYTES = 1024
#: The longest identity ID Cognito hands out (``region:uuid``; the API allows 55 characters).
MAX_IDENTITY_ID_BYTES = 55


class AccessError(ValueError):
    """An access description that cannot be rendered safely. The message names the rule."""


@dataclass(frozen=True)
class Rule:
    """One validated rule: a folder (``path`` ends in ``/*``) and what the role may do there."""

    path: str
    grants: frozenset[str]  # subset of {"get", "list", "write", "delete"}

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path[:-2].split("/"))

    def prefix(self) -> str:
        """The key prefix, ``{identity}`` rendered: ``users/${cognito-identity.amazonaws.com:sub}/``."""
        return "/".join(IDENTITY_VARIABLE if s == IDENTITY else s for s in self.segments) + "/"

    @property
    def object_actions(self) -> tuple[str, ...]:
        return tuple(sorted(OBJECT_ACTIONS[g] for g in self.grants if g in OBJECT_ACTIONS))

    @property
    def lists(self) -> bool:
        return "list" in self.grants


@dataclass(frozen=True)
class AccessDescription:
    """Validated rules for the authenticated role and (possibly empty) the guest role."""

    authenticated: tuple[Rule, ...]
    guest: tuple[Rule, ...] = ()

    def rules(self, who: str) -> tuple[Rule, ...]:
        if who not in WHO:
            raise ValueError(f"who must be one of {WHO}, got {who!r}")
        return self.authenticated if who == "authenticated" else self.guest

    def user_folder_prefix(self) -> str | None:
        """The folder convention for clients: ``users/`` for ``users/{identity}/*``.

        The first authenticated rule (in declaration order) whose last segment is ``{identity}``;
        ``None`` when there is none. With several per-identity rules, :meth:`identity_folders`
        lists them all; this one is the default folder of clients that know only one.
        """
        for rule in self.authenticated:
            if rule.segments[-1] == IDENTITY and rule.segments.count(IDENTITY) == 1:
                return "".join(s + "/" for s in rule.segments[:-1])
        return None

    def identity_folders(self) -> tuple[str, ...]:
        """Every per-identity folder of the authenticated rules, as a template, in declaration order:
        ``("users/{identity}/", "profile/{identity}/")`` for ``users/{identity}/*`` and
        ``profile/{identity}/*``. A client replaces ``{identity}`` with the identity ID from GetId.
        """
        return tuple(rule.path[:-1] for rule in self.authenticated if IDENTITY in rule.segments)


# ---------------------------------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------------------------------


def _validate_path(path: Any, who: str) -> str:
    where = f"{who} access rule {path!r}"
    if not isinstance(path, str) or not path:
        raise AccessError(f"{where}: the path must be a non-empty string such as 'users/{IDENTITY}/*'")
    if not path.endswith("/*"):
        raise AccessError(f"{where}: the path must end in '/*' (a folder), e.g. 'public/*'")
    body = path[:-2]
    if not body:
        raise AccessError(f"{where}: the path names no folder; whole-bucket rules are not allowed")
    if path.startswith("/"):
        raise AccessError(f"{where}: the path must not start with '/'")
    segments = body.split("/")
    for segment in segments:
        if segment == IDENTITY:
            continue
        if not segment:
            raise AccessError(f"{where}: empty path segment ('//')")
        if "*" in segment or "$" in segment or "?" in segment:
            raise AccessError(
                f"{where}: segment {segment!r}: no wildcards or policy variables inside a path; "
                f"write '{IDENTITY}' for the caller's identity ID"
            )
        if IDENTITY in segment or "{" in segment or "}" in segment:
            raise AccessError(
                f"{where}: '{IDENTITY}' must stand alone as a whole path segment, not inside {segment!r}"
            )
        if not _SEGMENT.match(segment):
            raise AccessError(
                f"{where}: segment {segment!r} may use only letters, digits, '.', '_' and '-' "
                "(no wildcards or policy variables inside a path)"
            )
        if segment in (".", ".."):
            raise AccessError(
                f"{where}: segment {segment!r} is not a folder name: S3 keys are literal, while browsers "
                "resolve '.' and '..' in URLs, so the rule would not name the folder it seems to"
            )
    if segments.count(IDENTITY) > 1:
        raise AccessError(f"{where}: '{IDENTITY}' may appear only once")
    _check_key_length(segments, where)
    if who == "guest" and IDENTITY in segments:
        raise AccessError(
            f"{where}: per-identity folders are for signed-in users; guest identities are throwaway, "
            "so guest rules may not use '{identity}'"
        )
    return path


def _check_key_length(segments: Sequence[str], where: str) -> None:
    """The folder plus a one-byte object name must fit S3's key limit, ``{identity}`` counted as the
    longest identity ID."""
    folder = sum(MAX_IDENTITY_ID_BYTES if s == IDENTITY else len(s.encode()) for s in segments)
    folder += len(segments)  # the '/' after each segment
    if folder + 1 > MAX_KEY_BYTES:
        raise AccessError(
            f"{where}: the folder is {folder} bytes ('{IDENTITY}' counted as {MAX_IDENTITY_ID_BYTES}), "
            f"so no object fits under it: S3 keys are at most {MAX_KEY_BYTES} bytes"
        )


def _validate_levels(path: str, levels: Any, who: str) -> frozenset[str]:
    where = f"{who} access rule {path!r}"
    if isinstance(levels, str) or not isinstance(levels, Sequence):
        raise AccessError(f"{where}: access levels must be a list such as ['read'], got {levels!r}")
    if not levels:
        raise AccessError(f"{where}: empty rule; give at least one of {', '.join(LEVELS)}")
    grants: set[str] = set()
    for level in levels:
        if level not in LEVELS:
            raise AccessError(f"{where}: unknown access level {level!r}; allowed: {', '.join(LEVELS)}")
        grants |= LEVELS[level]
    return frozenset(grants)


def _overlaps(a: Rule, b: Rule) -> bool:
    """Whether one rule's folder contains the other's.

    ``{identity}`` only ever equals itself: an identity ID contains ':' and no literal segment may.
    """
    shorter, longer = sorted((a.segments, b.segments), key=len)
    return longer[: len(shorter)] == shorter


def parse_rules(raw: Mapping[str, Any], who: str = "authenticated") -> tuple[Rule, ...]:
    """Validate one role's rules. Raises :class:`AccessError` naming the offending rule."""
    if who not in WHO:
        raise ValueError(f"who must be one of {WHO}, got {who!r}")
    if not isinstance(raw, Mapping):
        raise AccessError(f"{who} access must be an object of path -> levels, got {raw!r}")
    rules = [Rule(_validate_path(p, who), _validate_levels(p, levels, who)) for p, levels in raw.items()]
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            if _overlaps(a, b):
                raise AccessError(
                    f"{who} access rules {a.path!r} and {b.path!r} overlap: one folder contains the other,"
                    " so the narrower rule would not limit anything; merge them or use disjoint folders"
                )
    return tuple(rules)


def parse_access(
    authenticated: Mapping[str, Any], guest: Mapping[str, Any] | None = None
) -> AccessDescription:
    auth_rules = parse_rules(authenticated, "authenticated")
    if not auth_rules:
        raise AccessError("authenticated access is empty: give at least one rule, e.g. 'users/{identity}/*'")
    return AccessDescription(auth_rules, parse_rules(guest or {}, "guest"))


# ---------------------------------------------------------------------------------------------------
# ARNs from names (known at preview)
# ---------------------------------------------------------------------------------------------------


def bucket_arn(bucket_name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:s3:::{bucket_name}"


def role_arn(account_id: str, role_name: str, path: str = "/", partition: str = "aws") -> str:
    if not (path.startswith("/") and path.endswith("/")):
        raise ValueError(f"role path must start and end with '/', got {path!r}")
    return f"arn:{partition}:iam::{account_id}:role{path}{role_name}"


# ---------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------


def _sid(who: str, kind: str, rule: Rule) -> str:
    words = [IDENTITY_VARIABLE if s == IDENTITY else s for s in rule.segments]
    camel = "".join(
        "Identity" if w == IDENTITY_VARIABLE else "".join(p.capitalize() for p in re.split(r"[._-]", w) if p)
        for w in words
    )
    return f"{who.capitalize()}{kind}{camel}"


def role_statements(
    rules: Sequence[Rule], bucket_name: str, who: str = "authenticated", partition: str = "aws"
) -> list[dict[str, Any]]:
    """(a) The role's identity-policy statements for ``rules`` on ``bucket_name``."""
    arn = bucket_arn(bucket_name, partition)
    statements: list[dict[str, Any]] = []
    sids: set[str] = set()

    def unique(sid: str) -> str:
        n, candidate = 2, sid
        while candidate in sids:
            candidate, n = f"{sid}{n}", n + 1
        sids.add(candidate)
        return candidate

    for rule in rules:
        prefix = rule.prefix()
        if rule.object_actions:
            statements.append(
                {
                    "Sid": unique(_sid(who, "Objects", rule)),
                    "Effect": "Allow",
                    "Action": list(rule.object_actions),
                    "Resource": f"{arn}/{prefix}*",
                }
            )
        if rule.lists:
            statements.append(
                {
                    "Sid": unique(_sid(who, "List", rule)),
                    "Effect": "Allow",
                    "Action": LIST_ACTION,
                    "Resource": arn,
                    "Condition": {"StringLike": {"s3:prefix": [prefix, f"{prefix}*"]}},
                }
            )
    return statements


def bucket_policy_grants(
    rules: Sequence[Rule],
    bucket_name: str,
    principal_arn: str,
    who: str = "authenticated",
    partition: str = "aws",
) -> list[dict[str, Any]]:
    """(b) The bucket-policy mirror: the role's statements, each naming ``principal_arn``.

    Built from :func:`role_statements` itself, so actions, resources and conditions are the same.
    """
    grants = []
    for statement in role_statements(rules, bucket_name, who, partition):
        mirrored = {"Sid": statement["Sid"], "Effect": "Allow", "Principal": {"AWS": principal_arn}}
        mirrored.update({k: v for k, v in statement.items() if k not in ("Sid", "Effect")})
        grants.append(mirrored)
    return grants


def tls_deny_statement(bucket_name: str, partition: str = "aws") -> dict[str, Any]:
    """Deny every request to the bucket or its objects that does not use TLS."""
    arn = bucket_arn(bucket_name, partition)
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def policy_document(statements: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {"Version": POLICY_VERSION, "Statement": [dict(s) for s in statements]}


def role_policy_document(
    access: AccessDescription, who: str, bucket_name: str, partition: str = "aws"
) -> dict[str, Any]:
    """The whole identity-policy document of one role."""
    return policy_document(role_statements(access.rules(who), bucket_name, who, partition))


def bucket_policy_document(
    access: AccessDescription,
    bucket_name: str,
    role_arns: Mapping[str, str],
    partition: str = "aws",
) -> dict[str, Any]:
    """The bucket policy: the TLS Deny, then the mirror grants for each role in ``role_arns``.

    ``role_arns`` maps ``"authenticated"`` / ``"guest"`` to the role's ARN. A role with rules must be
    given, or its grant would be silently missing.
    """
    statements = [tls_deny_statement(bucket_name, partition)]
    for who in WHO:
        rules = access.rules(who)
        if not rules:
            continue
        if who not in role_arns:
            raise ValueError(f"the {who} role has access rules but no role ARN was given")
        statements += bucket_policy_grants(rules, bucket_name, role_arns[who], who, partition)
    return policy_document(statements)


def kms_key_policy(
    account_id: str, role_arns: Sequence[str], region: str, partition: str = "aws"
) -> dict[str, Any]:
    """A key policy: the account administers the key; the Cognito roles use it through S3 only."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "AccountAdministersKey",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    if role_arns:
        statements.append(
            {
                "Sid": "CognitoRolesUseKeyThroughS3",
                "Effect": "Allow",
                "Principal": {"AWS": list(role_arns) if len(role_arns) > 1 else role_arns[0]},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": f"s3.{region}.amazonaws.com",
                        "kms:CallerAccount": account_id,
                    }
                },
            }
        )
    return policy_document(statements)
