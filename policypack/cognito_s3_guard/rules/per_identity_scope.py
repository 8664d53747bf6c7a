"""per-identity-scope: no identity of a Cognito role's pool can read (get or list) a key inside another
identity's area, proved like identity-isolation; and a grant that is the same for every identity (a shared
prefix such as Amplify's ``public/``) is advised against unless the config declares it shared. A
property that the solver could not decide in its time limit is reported here as "undecided", naming the
role and the bucket: never a silent pass.

A read or shared finding is not reported for a statement that identity-isolation reports as a crossing
write on the same (role, bucket), in either layer: the property is decided again without that statement,
so that another statement's read still shows."""

from __future__ import annotations

from collections.abc import Sequence

from ..documents import SUB_VARIABLE
from ..findings import ADVISORY, Finding
from ..graph import Bucket, Role
from ..isolating import pieces, without
from ..isolation import Origin, Problem, Result, Verdict
from ..isolation import check as isolation_check
from ..reach import Grant
from .base import ISOLATION_TIMEOUT_MS, Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects
from .identity_isolation import crossing_finding, plainest

ID = "per-identity-scope"
REMEDIATION = (
    f"scope object access to .../users/{SUB_VARIABLE}/* and s3:ListBucket with an s3:prefix condition on "
    f"users/{SUB_VARIABLE}/ (or list a deliberate read-only shared prefix in this policy's sharedPrefixes "
    "config)."
)
UNDECIDED_FIX = (
    "review the role's and the bucket policy's statements for this bucket by hand, or simplify them towards "
    f"<prefix>/{SUB_VARIABLE}/* (the usual shape is decided without a solver)."
)


def _per_identity(pattern: str) -> bool:
    return SUB_VARIABLE in pattern or "${aws:PrincipalTag/" in pattern


def shared(g: Grant, shared_prefixes: Sequence[str]) -> bool:
    """A read-only grant under a prefix that the config declares shared by every identity."""
    if not shared_prefixes or not g.action.startswith(("s3:GetObject", "s3:ListBucket")):
        return False
    if g.action == "s3:ListBucket":
        return g.prefixes is not None and all(
            any(p.startswith(s) for s in shared_prefixes) for p in g.prefixes
        )
    rest = g.pattern.split(":::", 1)[-1]
    key = rest.split("/", 1)[1] if "/" in rest else ""
    return any(key.startswith(s) for s in shared_prefixes)


def loose_grants(grants: list[Grant], shared_prefixes: Sequence[str] = ()) -> tuple[Grant, ...]:
    """The role's grants on the bucket that name no per-identity variable (the facts a shared finding
    lists beside its counterexample)."""
    loose: list[Grant] = []
    for g in grants:
        if g.action == "s3:ListBucket":
            ok = g.prefixes is not None and all(_per_identity(p) for p in g.prefixes)
        elif g.pattern.startswith("arn:aws:s3:::") and "/" in g.pattern:
            ok = _per_identity(g.pattern)
        else:
            continue  # other bucket-level actions are about the bucket itself, not a user's folder
        if not ok and not shared(g, shared_prefixes):
            loose.append(g)
    return tuple(loose)


def _origin(verdict: Verdict) -> Origin | None:
    return verdict.counterexample.origin if verdict.counterexample is not None else None


def _reported(problem: Problem, result: Result) -> Verdict | None:
    """The crossing read, else the shared grant, whose statement is not the crossing write's (the same
    statement in the other layer counts as the same)."""
    cx = result.write.counterexample if result.write.kind == "crossing-write" else None
    written = plainest(problem, cx).origin if cx is not None else None  # the one identity-isolation names
    reduced: Result | None = None
    for prop in ("read", "shared"):
        verdict: Verdict = getattr(result, prop)
        if verdict.counterexample is None or verdict.kind not in ("crossing-read", "shared"):
            continue
        if written is None or pieces(problem, _origin(verdict)) != pieces(problem, written):
            return verdict
        if reduced is None:
            reduced = isolation_check(without(problem, written), ISOLATION_TIMEOUT_MS)
        again: Verdict = getattr(reduced, prop)
        if again.counterexample is not None and again.kind in ("crossing-read", "shared"):
            return again
    return None


def _findings(ctx: Analysis, role: Role, bucket: Bucket, config: RuleConfig) -> list[Finding]:
    judged = ctx.isolation(role, bucket, config.shared_prefixes)
    if judged is None:
        return []
    problem, result = judged
    out: list[Finding] = []
    verdict = _reported(problem, result)
    if verdict is not None and verdict.counterexample is not None:
        loose = loose_grants(ctx.reach(role).grants.get(bucket.node.urn, []), config.shared_prefixes)
        out.append(crossing_finding(ID, ADVISORY, verdict.kind, verdict.counterexample, role, bucket,
                                    REMEDIATION, grants=loose))  # fmt: skip
    undecided = tuple(p for p in ("write", "read", "shared") if getattr(result, p).kind == "undecided")
    if undecided:
        why = "; ".join(dict.fromkeys(getattr(result, p).reason for p in undecided))
        out.append(Finding(ID, ADVISORY, "undecided", role.node.urn, UNDECIDED_FIX, problems=undecided,
                           what=why, subjects=subjects(role.node, bucket.node), **role_fields(role),
                           **bucket_fields(bucket)))  # fmt: skip
    return out


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role, bucket, _ in ctx.pairs():  # the buckets the role's own policies reach, as before
        out.extend(_findings(ctx, role, bucket, config))
    return out


RULE = Rule(
    id=ID,
    policy="cognito-s3-advisories",
    level=ADVISORY,
    title="No identity of a Cognito role's pool can read another identity's folder; shared grants are named.",
    description=(
        "All users of an identity pool share its role, so only a policy variable keeps them apart: "
        "${cognito-identity.amazonaws.com:sub} in the object ARN and in the s3:prefix of ListBucket "
        '(IAM User Guide, "Amazon S3: Allows Amazon Cognito users to access objects in their bucket"). '
        "The pack proves that no identity can get or list a key inside another identity's area (with a "
        "counterexample otherwise), and names a grant that is the same for every identity (a shared "
        "prefix) unless sharedPrefixes declares it; a question the solver cannot decide in time is "
        "reported as undecided, never passed."
    ),
    remediation=REMEDIATION,
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html",
    ),
    check=check,
)
