"""IAM policy documents: parse, normalise, match actions and ARNs, containment of resource patterns.

Pure functions, no Pulumi. Everything here takes plain Python values (``unknown`` sentinels included)
and never raises on odd input: a document that cannot be read becomes ``Document(state="malformed")``
with the reason.

Patterns: IAM ``*`` and ``?`` wildcards (``*`` crosses ``/`` in ARNs), and policy variables such as
``${cognito-identity.amazonaws.com:sub}``, which are kept as opaque tokens. Pattern ``a`` is *contained*
in ``b`` when every request that ``a`` matches is matched by ``b`` whatever the variables resolve to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from .actions import S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS
from .conditions import Operator, operator

# Every unknown sentinel the engine uses (pulumi_policy/proxy.py), the string one first.
UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_STRING,
        "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
        "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
        "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
        "030794c1-ac77-496b-92df-f27374a8bd58",
        "e48ece36-62e2-4504-bad9-02848725956a",
        "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
    }
)

COGNITO_PRINCIPAL = "cognito-identity.amazonaws.com"
SUB_VARIABLE = "${cognito-identity.amazonaws.com:sub}"
AUD_KEY = "cognito-identity.amazonaws.com:aud"
AMR_KEY = "cognito-identity.amazonaws.com:amr"
WEB_IDENTITY_ACTION = "sts:AssumeRoleWithWebIdentity"


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


def contains_unknown(value: Any) -> bool:
    """True when the value or anything inside it is unknown (a preview-time computed value)."""
    if isinstance(value, str):
        return value in UNKNOWN_SENTINELS or any(s in value for s in UNKNOWN_SENTINELS)
    if isinstance(value, Mapping):
        return any(contains_unknown(k) or contains_unknown(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


# --- S3 actions ----------------------------------------------------------------------------------
# The S3 actions that act on a bucket or on its objects, from the generated dataset snapshot in
# :mod:`.actions` (AWS Service Authorization Reference, "Actions defined by Amazon S3", by resource
# type). Wildcards and NotAction are evaluated against this catalogue.

OBJECT_ACTIONS: tuple[str, ...] = S3_OBJECT_ACTIONS
BUCKET_ACTIONS: tuple[str, ...] = S3_BUCKET_ACTIONS
S3_ACTIONS: tuple[str, ...] = OBJECT_ACTIONS + BUCKET_ACTIONS  # object actions first, as before
_OBJECT_SET = frozenset(OBJECT_ACTIONS)

Scope = Literal["bucket", "object"]


def action_scope(action: str) -> Scope:
    return "object" if action in _OBJECT_SET else "bucket"


# --- patterns ------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(r"\$\{[^}]*\}|\*|\?|[^$*?]+|\$")
_ESCAPES = {"${*}": "*", "${?}": "?", "${$}": "$"}


@lru_cache(maxsize=65536)
def tokens(pattern: str) -> tuple[str, ...]:
    """Split a pattern into literal characters, ``*``, ``?`` and whole ``${variable}`` tokens."""
    out: list[str] = []
    for m in _TOKEN_RE.finditer(pattern):
        t = m.group(0)
        if t in _ESCAPES:
            out.append("\\" + _ESCAPES[t])  # an escaped literal wildcard character
        elif t in ("*", "?") or t.startswith("${"):
            out.append(t)
        else:
            out.extend(t)
    return tuple(out)


def _is_literal(t: str) -> bool:
    return t not in ("*", "?") and not t.startswith("${")


def _lit(t: str) -> str:
    return t[1:] if t.startswith("\\") and len(t) == 2 else t


_SPECIAL = re.compile(r"[*?$]")
_SPECIAL_END = re.compile(r"[*?}$][^*?}$]*\Z")


def _head(s: str) -> int:
    """Length of the plain literal text a pattern starts with."""
    m = _SPECIAL.search(s)
    return m.start() if m else len(s)


def _tail(s: str) -> int:
    """Length of the plain literal text a pattern ends with."""
    m = _SPECIAL_END.search(s)
    return len(s) - m.start() - 1 if m else len(s)


def _trim_contains(outer: str, inner: str) -> tuple[str, str] | None:
    """Strip the literal head and tail that ``outer`` requires; None when ``inner`` cannot supply them."""
    h = _head(outer)
    if h > _head(inner) or inner[:h] != outer[:h]:
        return None
    outer, inner = outer[h:], inner[h:]
    t = _tail(outer)
    if t > _tail(inner) or (t and inner[len(inner) - t :] != outer[len(outer) - t :]):
        return None
    return (outer[: len(outer) - t], inner[: len(inner) - t]) if t else (outer, inner)


def _trim_intersects(p: str, q: str) -> tuple[str, str] | None:
    """Strip the literal head and tail both patterns share; None when those literals disagree."""
    h = min(_head(p), _head(q))
    if p[:h] != q[:h]:
        return None
    p, q = p[h:], q[h:]
    t = min(_tail(p), _tail(q))
    if t and p[len(p) - t :] != q[len(q) - t :]:
        return None
    return (p[: len(p) - t], q[: len(q) - t]) if t else (p, q)


@lru_cache(maxsize=262144)
def contains(outer: str, inner: str) -> bool:
    """Every string matched by ``inner`` is matched by ``outer`` (variables opaque, case-sensitive)."""
    if outer == inner:
        return True
    trimmed = _trim_contains(outer, inner)
    if trimmed is None:
        return False
    a, b = tokens(trimmed[0]), tokens(trimmed[1])
    n, m = len(a), len(b)
    # covered[j]: a[i:] covers b[j:], row by row from the end (no recursion: keys may be 1024 long)
    below = [j == m for j in range(m + 1)]  # i == n: only the empty rest is covered
    for i in range(n - 1, -1, -1):
        t, row = a[i], [False] * (m + 1)
        for j in range(m, -1, -1):
            if t == "*":
                row[j] = below[j] or (j < m and row[j + 1])
            elif j < m and below[j + 1]:
                u = b[j]
                if t == "?":  # ``?`` covers exactly one character: a literal or another ``?``
                    row[j] = _is_literal(u) or u == "?"
                elif t.startswith("${"):
                    row[j] = u == t
                else:
                    row[j] = _is_literal(u) and _lit(u) == _lit(t)
        below = row
    return below[0]


def _wild(t: str) -> bool:
    return t == "*" or t.startswith("${")


@lru_cache(maxsize=262144)
def intersects(p: str, q: str) -> bool:
    """Some string is matched by both patterns (variables may stand for anything)."""
    if p == q:
        return True
    trimmed = _trim_intersects(p, q)
    if trimmed is None:
        return False
    a, b = tokens(trimmed[0]), tokens(trimmed[1])
    n, m = len(a), len(b)
    # meets[j]: a[i:] and b[j:] match a common string, row by row from the end (no recursion)
    below: list[bool] = []
    for i in range(n, -1, -1):
        row = [False] * (m + 1)
        for j in range(m, -1, -1):
            wa, wb = i < n and _wild(a[i]), j < m and _wild(b[j])
            if wa or wb:  # a wildcard eats nothing more (skip it) or one more character of the other
                row[j] = bool((wa and (below[j] or (j < m and row[j + 1])))
                              or (wb and (row[j + 1] or (i < n and below[j]))))  # fmt: skip
            elif i < n and j < m:
                t, u = a[i], b[j]
                row[j] = (t == "?" or u == "?" or _lit(t) == _lit(u)) and below[j + 1]
            else:
                row[j] = i == n and j == m
        below = row
    return below[0]


@lru_cache(maxsize=65536)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts = []
    for t in tokens(pattern):
        if t == "*" or t.startswith("${"):
            parts.append(".*")
        elif t == "?":
            parts.append(".")
        else:
            parts.append(re.escape(_lit(t)))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def action_matches(pattern: str, action: str) -> bool:
    """IAM action matching: case-insensitive, ``*`` and ``?`` wildcards."""
    return _glob_regex(pattern).fullmatch(action) is not None


def expand_actions(patterns: Iterable[str], catalogue: Iterable[str] = S3_ACTIONS) -> frozenset[str]:
    pats = tuple(patterns)
    return frozenset(a for a in catalogue if any(action_matches(p, a) for p in pats))


# --- documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    operator: str  # as written, e.g. "StringLike", "ForAnyValue:StringLike"
    key: str  # lower-cased condition key
    values: tuple[str, ...]

    @property
    def op(self) -> Operator:
        """The operator's parts, from the one table in :mod:`.conditions`."""
        return operator(self.operator)


@dataclass(frozen=True)
class Statement:
    effect: str  # "Allow" | "Deny"
    sid: str = ""
    actions: tuple[str, ...] | None = None
    not_actions: tuple[str, ...] | None = None
    resources: tuple[str, ...] | None = None
    not_resources: tuple[str, ...] | None = None
    principals: tuple[tuple[str, str], ...] | None = None  # (kind, value); ("*", "*") for "*"
    not_principals: tuple[tuple[str, str], ...] | None = None
    conditions: tuple[Condition, ...] = ()

    def allows_action(self, action: str) -> bool:
        if self.actions is not None:
            return any(action_matches(p, action) for p in self.actions)
        if self.not_actions is not None:
            return not any(action_matches(p, action) for p in self.not_actions)
        return False

    def condition_values(self, key: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
        k = key.lower()
        return tuple((c.operator, c.values) for c in self.conditions if c.key == k)


DocState = Literal["absent", "known", "unknown", "malformed"]


@dataclass(frozen=True)
class Document:
    state: DocState
    statements: tuple[Statement, ...] = ()
    problem: str = ""

    @property
    def known(self) -> bool:
        return self.state == "known"


ABSENT = Document("absent")
UNKNOWN_DOCUMENT = Document("unknown")


class _Malformed(ValueError):
    pass


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _Malformed(f"{what} must be a string or a list of strings, got {_show(value)}")


def _scalars(value: Any, what: str) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else [value]
    out = []
    for v in items:
        if isinstance(v, bool):
            out.append("true" if v else "false")
        elif isinstance(v, str | int | float):
            out.append(str(v))
        else:
            raise _Malformed(f"{what} values must be strings, numbers or booleans, got {_show(v)}")
    return tuple(out)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _principals(value: Any, what: str) -> tuple[tuple[str, str], ...]:
    if value == "*":
        return (("*", "*"),)
    if isinstance(value, Mapping):
        out: list[tuple[str, str]] = []
        for kind, ids in value.items():
            if not isinstance(kind, str):
                raise _Malformed(f"{what} keys must be strings, got {_show(kind)}")
            out.extend((kind, v) for v in _strings(ids, f"{what}.{kind}"))
        return tuple(out)
    raise _Malformed(f'{what} must be "*" or an object such as {{"AWS": [...]}}, got {_show(value)}')


def _conditions(value: Any) -> tuple[Condition, ...]:
    if not isinstance(value, Mapping):
        raise _Malformed(f"Condition must be an object, got {_show(value)}")
    out = []
    for op, block in value.items():
        if not isinstance(op, str) or not isinstance(block, Mapping):
            raise _Malformed(f"Condition {_show(op)} must map condition keys to values")
        for key, vals in block.items():
            if not isinstance(key, str):
                raise _Malformed(f"Condition {op} has a non-string key {_show(key)}")
            out.append(Condition(op, key.lower(), _scalars(vals, f"Condition {op} {key}")))
    return tuple(out)


_PARTITIONED_S3 = re.compile(r"arn:aws-[a-z-]+:s3:::")


def _s3_resources(values: tuple[str, ...]) -> tuple[str, ...]:
    """S3 ARNs of the other partitions (``arn:aws-cn:``, ``arn:aws-us-gov:``) as ``arn:aws:s3:::``: one
    stack lives in one partition, and every comparison here is written against ``bucket_arn``."""
    out = []
    for v in values:
        m = _PARTITIONED_S3.match(v)
        out.append("arn:aws:s3:::" + v[m.end() :] if m else v)
    return tuple(out)


def _statement(raw: Any, index: int) -> Statement:
    where = f"Statement[{index}]"
    if not isinstance(raw, Mapping):
        raise _Malformed(f"{where} must be an object, got {_show(raw)}")
    effect = raw.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise _Malformed(f'{where}.Effect must be "Allow" or "Deny", got {_show(effect)}')
    if "Action" in raw and "NotAction" in raw:
        raise _Malformed(f"{where} has both Action and NotAction")
    if "Action" not in raw and "NotAction" not in raw:
        raise _Malformed(f"{where} has neither Action nor NotAction")
    if "Resource" in raw and "NotResource" in raw:
        raise _Malformed(f"{where} has both Resource and NotResource")
    sid = raw.get("Sid", "")
    return Statement(
        effect=effect,
        sid=sid if isinstance(sid, str) else str(sid),
        actions=_strings(raw["Action"], f"{where}.Action") if "Action" in raw else None,
        not_actions=_strings(raw["NotAction"], f"{where}.NotAction") if "NotAction" in raw else None,
        resources=_s3_resources(_strings(raw["Resource"], f"{where}.Resource"))
        if "Resource" in raw
        else None,
        not_resources=(
            _s3_resources(_strings(raw["NotResource"], f"{where}.NotResource"))
            if "NotResource" in raw
            else None
        ),
        principals=_principals(raw["Principal"], f"{where}.Principal") if "Principal" in raw else None,
        not_principals=(
            _principals(raw["NotPrincipal"], f"{where}.NotPrincipal") if "NotPrincipal" in raw else None
        ),
        conditions=_conditions(raw["Condition"]) if "Condition" in raw else (),
    )


def parse_document(value: Any) -> Document:
    """A policy document from a JSON string or an object; unknown, absent and malformed are states."""
    if value is None or value == "" or value == {}:
        return ABSENT
    if contains_unknown(value):
        return UNKNOWN_DOCUMENT
    if isinstance(value, str):
        return _parse_text(value)
    return _parse_object(value)


@lru_cache(maxsize=8192)
def _parse_text(text: str) -> Document:
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Document("malformed", problem=f"not valid JSON ({exc})")
    return _parse_object(raw)


def _parse_object(raw: Any) -> Document:
    try:
        if not isinstance(raw, Mapping):
            raise _Malformed(f"a policy document must be a JSON object, got {_show(raw)}")
        if "Statement" not in raw:
            raise _Malformed("it has no Statement")
        stmts = raw["Statement"]
        items = stmts if isinstance(stmts, list | tuple) else [stmts]
        return Document("known", tuple(_statement(s, i) for i, s in enumerate(items)))
    except _Malformed as exc:
        return Document("malformed", problem=str(exc))
    except (RecursionError, TypeError, ValueError) as exc:  # pathological nesting or types
        return Document("malformed", problem=f"unreadable ({type(exc).__name__})")


# --- AWS-managed policies ------------------------------------------------------------------------
# The S3-relevant content of well-known AWS-managed policies; their documents are not in the program,
# so the pack carries what they allow. Any other AWS-managed ARN is reported as unverifiable.

AWS_MANAGED: dict[str, Document] = {
    name: Document("known", (Statement("Allow", actions=actions, resources=("*",)),))
    for name, actions in {
        "AmazonS3FullAccess": ("s3:*", "s3-object-lambda:*"),
        "AmazonS3ReadOnlyAccess": ("s3:Get*", "s3:List*", "s3:Describe*", "s3-object-lambda:Get*",
                                   "s3-object-lambda:List*"),
        "AdministratorAccess": ("*",),
        "PowerUserAccess": ("*",),  # its NotAction excludes iam/organizations/account only
        "ReadOnlyAccess": ("s3:Get*", "s3:List*", "s3:Describe*"),
    }.items()
}  # fmt: skip


def aws_managed_name(arn: str) -> str | None:
    m = re.fullmatch(r"arn:aws[a-z-]*:iam::aws:policy/(?:[\w+=,.@/-]*/)?([\w+=,.@-]+)", arn)
    return m.group(1) if m else None


# --- ARNs ----------------------------------------------------------------------------------------

_S3_ARN_RE = re.compile(r"arn:aws[a-z-]*:s3:::(.*)", re.DOTALL)


def s3_target(pattern: str) -> tuple[str, str | None] | None:
    """Classify a resource pattern: ("bucket", name) for a literal bucket name, ("any", None) when it
    may match many buckets, or None when it cannot match an S3 bucket or object at all."""
    if pattern == "*":
        return ("any", None)
    m = _S3_ARN_RE.fullmatch(pattern)
    if m is None:
        return ("any", None) if intersects(pattern, "arn:aws:s3:::*") else None
    rest = m.group(1)
    name = rest.split("/", 1)[0]
    if any(c in name for c in "*?$"):
        return ("any", None)
    return ("bucket", name)


def bucket_arn(name: str) -> str:
    return f"arn:aws:s3:::{name}"
