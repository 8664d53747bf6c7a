"""Principals, NotPrincipal and ``aws:PrincipalArn``: does a statement apply to a role?

Pure, no Pulumi. A role is anything with ``arn`` (known once deployed), ``physical_name`` and
``path_name`` (``path/name``, known at a first preview when the name is): :class:`RoleLike`. At a first
preview the account is not known, so a role ARN in a document is matched on its path and name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

from .conditions import operator
from .documents import COGNITO_PRINCIPAL, WEB_IDENTITY_ACTION, Document, Statement, intersects, tokens


class RoleLike(Protocol):
    @property
    def arn(self) -> str | None: ...

    @property
    def physical_name(self) -> str | None: ...

    @property
    def path_name(self) -> str | None: ...


_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::(\d{12}|\*):role/(.+)")
ACCOUNT_PRINCIPAL = re.compile(r"(?:arn:aws[a-z-]*:iam::)?(\d{12})(?::root)?")
SESSION_PRINCIPAL = re.compile(r"arn:aws[a-z-]*:sts::(\d{12}|\*):assumed-role/([^/]+)/.+")
# Kept under their old private names for callers that used them.
_ACCOUNT_PRINCIPAL, _SESSION_PRINCIPAL = ACCOUNT_PRINCIPAL, SESSION_PRINCIPAL


def role_name_from_arn(arn: str) -> tuple[str, str] | None:
    """``arn:aws:iam::123:role/path/name`` -> (account, "path/name")."""
    m = _ROLE_ARN.fullmatch(arn)
    return (m.group(1), m.group(2)) if m else None


# --- aws:PrincipalArn ----------------------------------------------------------------------------


def principal_arn_matchers(stmt: Statement) -> tuple[tuple[str, str], ...]:
    """(operator, value) of each positive ``aws:PrincipalArn`` condition value, the operator as its base
    name. StringEquals and StringEqualsIgnoreCase compare literally; StringLike, ArnEquals and ArnLike
    expand ``*`` and ``?`` (see :mod:`.conditions`)."""
    out: list[tuple[str, str]] = []
    for c in stmt.conditions:
        if c.key == "aws:principalarn":
            op = operator(c.operator)
            if op.matches_strings:
                out.extend((op.name, v) for v in c.values)
    return tuple(out)


def principal_arn_conditions(stmt: Statement) -> tuple[str, ...]:
    """Values of an ``aws:PrincipalArn`` condition with a positive operator, if any."""
    return tuple(v for _, v in principal_arn_matchers(stmt))


def _principal_arn_names_role(op: str, value: str, role: RoleLike) -> bool:
    base = operator(op).base
    if base.wildcards:
        return _arn_pattern_matches_role(value, role)
    # A literal comparison: wildcards in the value are plain characters.
    fold = str.lower if base.ignore_case else str
    if role.arn:
        return fold(value) == fold(role.arn)
    parsed = role_name_from_arn(value)
    return bool(parsed and role.path_name and parsed[0] != "*" and fold(parsed[1]) == fold(role.path_name))


def _excluded_by_principal_arn(stmt: Statement, role: RoleLike) -> bool:
    """A positive aws:PrincipalArn condition that cannot match the role (the role's name not known yet:
    it may match, so not excluded)."""
    values = principal_arn_conditions(stmt)
    if not values or not (role.arn or role.path_name):
        return False
    return not any(_arn_pattern_matches_role(c, role) for c in values)


# --- the role's own ARN --------------------------------------------------------------------------


def _is_role_arn(value: str, role: RoleLike) -> bool:
    if role.arn:  # known (deployed): the ARN itself, account included
        return value == role.arn
    parsed = role_name_from_arn(value)  # a first preview: the account is not known, the name is
    return bool(parsed and role.path_name and parsed[1] == role.path_name)


def _arn_pattern_matches_role(pattern: str, role: RoleLike) -> bool:
    if role.arn:
        return intersects(pattern, role.arn)
    if not role.path_name:
        return False
    return may_match_unknown_arn(pattern, role.path_name)


# A role ARN whose partition and account are not known yet (a first preview) has a fixed shape all the
# same: ``arn:aws<[a-z-]*>:iam::<12 digits>:role/<path/name>``. Modelling the two unknown fields by their
# shape (not by ``*``, which would let them span ``:`` and ``/``) keeps "may match" sound and exact.
_DIGIT = frozenset("0123456789")
_PARTITION_TAIL = frozenset("abcdefghijklmnopqrstuvwxyz-")
_CandToken = tuple[str, frozenset[str] | str]  # ("lit", char) | ("one", class) | ("many", class)


def _unknown_arn_tokens(path_name: str) -> tuple[_CandToken, ...]:
    out: list[_CandToken] = [("lit", c) for c in "arn:aws"]
    out.append(("many", _PARTITION_TAIL))
    out.extend(("lit", c) for c in ":iam::")
    out.extend(("one", _DIGIT) for _ in range(12))
    out.extend(("lit", c) for c in ":role/" + path_name)
    return tuple(out)


def _one_char(t: str, cand: _CandToken) -> bool:
    """Pattern token ``t`` (a literal or ``?``) matches some character the candidate token allows."""
    kind, value = cand
    if t == "?":
        return True
    lit = t[1:] if t.startswith("\\") and len(t) == 2 else t
    return lit == value if kind == "lit" else lit in value


@lru_cache(maxsize=65536)
def may_match_unknown_arn(pattern: str, path_name: str) -> bool:
    """Some ARN ``arn:aws[a-z-]*:iam::<12 digits>:role/<path_name>`` is matched by glob ``pattern``."""
    a, b = tokens(pattern), _unknown_arn_tokens(path_name)
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        key = (i, j)
        if key not in memo:
            memo[key] = _step(i, j)
        return memo[key]

    def _step(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and (a[i] == "*" or a[i].startswith("${")):
            return go(i + 1, j) or (j < len(b) and go(i, j + 1))
        if j < len(b) and b[j][0] == "many":
            return go(i, j + 1) or (i < len(a) and _one_char(a[i], b[j]) and go(i + 1, j))
        if i == len(a) or j == len(b):
            return False
        return _one_char(a[i], b[j]) and go(i + 1, j + 1)

    return go(0, 0)


def _role_account(role: RoleLike) -> str | None:
    parsed = role_name_from_arn(role.arn) if role.arn else None
    return parsed[0] if parsed and parsed[0] != "*" else None


def names_role(stmt: Statement, role: RoleLike) -> bool:
    """The statement's principal is the role: its ARN, or ``*`` with an aws:PrincipalArn condition."""
    for kind, value in stmt.principals or ():
        if kind == "AWS" and value != "*" and _is_role_arn(value, role):
            # A positive aws:PrincipalArn condition for someone else means the statement never applies.
            matchers = principal_arn_matchers(stmt)
            return not matchers or any(_principal_arn_names_role(op, c, role) for op, c in matchers)
        if (kind == "*" or (kind == "AWS" and value == "*")) and any(
            _principal_arn_names_role(op, c, role) for op, c in principal_arn_matchers(stmt)
        ):
            return True
    return False


# --- principals that include the role without naming it ------------------------------------------


def _principal_includes_role(kind: str, value: str, role: RoleLike) -> bool:
    if kind == "*" or value == "*" or kind == "CanonicalUser":
        return True
    if kind != "AWS":
        return False  # Service and Federated principals are not the role
    if _is_role_arn(value, role):
        return True
    account = _role_account(role)
    m = ACCOUNT_PRINCIPAL.fullmatch(value)
    if m:
        return account is None or m.group(1) == account
    m = SESSION_PRINCIPAL.fullmatch(value)
    if m:
        return bool(role.physical_name and m.group(2) == role.physical_name) and (
            account is None or m.group(1) in ("*", account)
        )
    return ("*" in value or "?" in value) and _arn_pattern_matches_role(value, role)


# Keys that only a request an AWS service makes on a resource's behalf carries (IAM User Guide, "AWS
# global condition context keys"): a Cognito user's own request has none of them, and a positive
# operator (not ...IfExists, not ForAllValues) on a missing key is false.
SERVICE_ONLY_KEYS = frozenset(
    {"aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:principalservicename"}
)


def _only_on_behalf_of_a_service(stmt: Statement) -> bool:
    for c in stmt.conditions:
        if c.key in SERVICE_ONLY_KEYS:
            op = operator(c.operator)
            if op.matches_strings and op.quantifier != "ForAllValues":
                return True
    return False


def applies_to_role(stmt: Statement, role: RoleLike) -> bool:
    """The statement may apply to the role's sessions, named or not (for no-widening, the safe side).

    Besides the role's ARN (``names_role``): ``*`` (everyone: all users of the role among them) unless a
    positive aws:PrincipalArn condition rules the role out; the role's session ARN
    ``arn:aws:sts::<acct>:assumed-role/<name>/<session>`` (all Cognito users share one session name);
    NotPrincipal without the role; and the role's account (``<acct>`` or ``arn:aws:iam::<acct>:root``)
    or its canonical user id. An account principal "delegates authority to the account" (IAM User Guide,
    "AWS account principals"), so whether it widens a same-account role is debatable: counted, safely."""
    if stmt.principals is None:
        if stmt.not_principals is None:
            return False
        return not any(
            kind == "AWS" and value != "*" and _principal_includes_role(kind, value, role)
            and not ACCOUNT_PRINCIPAL.fullmatch(value)
            for kind, value in stmt.not_principals
        )  # fmt: skip
    if _excluded_by_principal_arn(stmt, role) or _only_on_behalf_of_a_service(stmt):
        return False
    return any(_principal_includes_role(kind, value, role) for kind, value in stmt.principals)


# --- who can assume a role ----------------------------------------------------------------------


def _admits_cognito(stmt: Statement) -> bool:
    """The statement's principal includes the Cognito federated principal: by name, or by ``*``, or a
    NotPrincipal that does not exclude it."""
    if stmt.principals is None:
        return stmt.not_principals is not None and not any(
            kind == "*" or value == "*" or (kind == "Federated" and value == COGNITO_PRINCIPAL)
            for kind, value in stmt.not_principals
        )
    return any(
        kind == "*" or value == "*" or (kind == "Federated" and value == COGNITO_PRINCIPAL)
        for kind, value in stmt.principals
    )


def web_identity_assumable(trust: Document) -> bool:
    """A Cognito web identity may assume the role: some Allow admits the Cognito principal for
    sts:AssumeRoleWithWebIdentity (by name, by a wildcard such as ``sts:*``, or by a NotAction that does
    not exclude it), and no unconditional Deny for it covers that call. Only a known trust is judged;
    anything else may be assumable (True)."""
    if not trust.known:
        return True
    applies = [s for s in trust.statements if _admits_cognito(s) and s.allows_action(WEB_IDENTITY_ACTION)]
    if any(s.effect == "Deny" and not s.conditions for s in applies):
        return False
    return any(s.effect == "Allow" for s in applies)


# --- finding the roles a document names ----------------------------------------------------------


class RoleLookup:
    """Find the roles that a bucket policy's principals name, without scanning every role."""

    def __init__(self, roles: list[Any]) -> None:
        self.roles = roles
        self.by_arn = {r.arn: r for r in roles if r.arn}
        self.by_path_name: dict[str, list[Any]] = {}
        self.by_name: dict[str, list[Any]] = {}
        self.by_urn: dict[str, list[Any]] = {}
        for r in roles:
            node = getattr(r, "node", None)
            if node is not None:
                self.by_urn.setdefault(node.urn, []).append(r)
            if r.path_name:
                self.by_path_name.setdefault(r.path_name, []).append(r)
            if r.physical_name:
                self.by_name.setdefault(r.physical_name, []).append(r)

    def named_by(self, bucket: Any) -> list[Any]:
        """The roles that an Allow statement of ``bucket.policies`` (sources with a ``doc``) names, and
        the roles that a policy not known yet depends on (it may name them)."""
        found = {id(r): r for r in self.named_in(src.doc for src in bucket.policies)}
        for src in bucket.policies:
            if src.doc.state == "unknown":
                for d in getattr(src, "deps", ()):
                    for r in self.by_urn.get(d, ()):
                        found.setdefault(id(r), r)
        return list(found.values())

    def named_in(self, documents: Iterable[Document]) -> list[Any]:
        found: dict[int, Any] = {}
        for doc in documents:
            if not doc.known:
                continue
            for stmt in doc.statements:
                if stmt.effect == "Allow":
                    for r in self._named_by_statement(stmt):
                        found[id(r)] = r
        return list(found.values())

    def _named_by_statement(self, stmt: Statement) -> list[Any]:
        out: list[Any] = []
        for kind, value in stmt.principals or ():
            if kind == "AWS" and value != "*":
                out.extend(self._by_principal(value))
            elif principal_arn_conditions(stmt):
                out.extend(r for r in self._by_principal_arn(stmt) if names_role(stmt, r))
        return out

    def _by_principal(self, value: str) -> list[Any]:
        """The roles a literal AWS principal names: the role ARN (or its path and name) or a session."""
        out: list[Any] = []
        hit = self.by_arn.get(value)
        if hit is not None:
            out.append(hit)
        parsed = role_name_from_arn(value)
        out.extend(self.by_path_name.get(parsed[1], []) if parsed else [])
        session = SESSION_PRINCIPAL.fullmatch(value)
        out.extend(self.by_name.get(session.group(2), []) if session else [])
        return out

    def _by_principal_arn(self, stmt: Statement) -> list[Any]:
        """Candidates for a ``*`` statement's aws:PrincipalArn values: looked up when literal, so that a
        program of many tenants granting this way stays linear; a wildcard value scans every role."""
        out: list[Any] = []
        for op, value in principal_arn_matchers(stmt):
            if "*" in value or "?" in value or op == "StringEqualsIgnoreCase":
                return self.roles
            hit = self.by_arn.get(value)
            if hit is not None:
                out.append(hit)
            parsed = role_name_from_arn(value)
            out.extend(r for r in (self.by_path_name.get(parsed[1], []) if parsed else []) if r is not hit)
        return out


__all__ = [
    "ACCOUNT_PRINCIPAL",
    "SERVICE_ONLY_KEYS",
    "SESSION_PRINCIPAL",
    "RoleLike",
    "RoleLookup",
    "applies_to_role",
    "may_match_unknown_arn",
    "names_role",
    "principal_arn_conditions",
    "principal_arn_matchers",
    "role_name_from_arn",
    "web_identity_assumable",
]
