"""identity-isolation: no identity of a Cognito role's pool can write (put, delete or otherwise change) a
key inside another identity's area of a bucket, proved per (role, bucket) by :mod:`..isolation` (fast
path, cache, oracle-judged witnesses, then z3), with the counterexample carried as data."""

from __future__ import annotations

from dataclasses import replace

from ..documents import SUB_VARIABLE
from ..findings import MANDATORY, Finding
from ..graph import Bucket, Role
from ..isolation import Counterexample, Problem
from ..isolation.oracle import allowing
from .base import Analysis, Rule, RuleConfig, bucket_fields, role_fields, subjects

ID = "identity-isolation"
REMEDIATION = (
    f"grant writes (s3:PutObject, s3:DeleteObject, ...) only on <prefix>/{SUB_VARIABLE}/* with nothing "
    "wild (* or ?) before the variable, and remove write grants on keys that other identities' folders "
    "hold (users/* and the like), in the role's policies and in the bucket policy alike."
)


def crossing_finding(rule: str, level: str, kind: str, cx: Counterexample, role: Role, bucket: Bucket,
                     remediation: str, **extra: object) -> Finding:  # fmt: skip
    """A finding that carries a counterexample, reported on the resource that holds its statement."""
    urn = cx.origin.urn if cx.origin is not None and cx.origin.urn else role.node.urn
    return Finding(
        rule, level, kind, urn, remediation, counterexample=cx,
        routes=(cx.origin.label,) if cx.origin else (),
        subjects=(*subjects(role.node, bucket.node), urn, urn.rsplit("::", 1)[-1]),  # its URN and name
        **role_fields(role), **bucket_fields(bucket), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


PLAIN_WRITES = ("s3:PutObject", "s3:DeleteObject")


def plainest(problem: Problem, cx: Counterexample) -> Counterexample:
    """The same crossing with s3:PutObject or s3:DeleteObject when the oracle allows either on the key
    (a reviewer knows them better than the first write action of the table, s3:AbortMultipartUpload)."""
    for action in PLAIN_WRITES:
        t = allowing(problem, cx.identity_a, action, cx.key, None)
        if t is not None:
            return replace(cx, action=action, origin=t.origin)
    return cx


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    out: list[Finding] = []
    for role, bucket in ctx.isolation_pairs():
        judged = ctx.isolation(role, bucket)
        if judged is None:
            continue
        problem, write = judged[0], judged[1].write
        if write.kind == "crossing-write" and write.counterexample is not None:
            cx = plainest(problem, write.counterexample)
            out.append(crossing_finding(ID, MANDATORY, "crossing-write", cx, role, bucket, REMEDIATION))
    return out


RULE = Rule(
    id=ID,
    policy="cognito-bucket-access",
    level=MANDATORY,
    title="No identity of a Cognito role's pool can write inside another identity's folder (proved).",
    description=(
        "All users of an identity pool share its role; only the policy variable "
        "${cognito-identity.amazonaws.com:sub} keeps them apart, and IAM's * matches any characters, "
        "slashes included: users/*${sub}/* lets identity A write users/<B>/<A>/x inside B's folder, and "
        "s3:PutObject or s3:DeleteObject on users/* beside the per-user statements lets every user "
        "overwrite or delete every other user's files. The pack proves, for two identities A != B of the "
        "pool, that no key of B's area (what B's instance of the per-identity statements allows) can be "
        "written by A under IAM evaluation of both layers (Denies, NotResource, NotAction, s3:prefix "
        "conditions), with an SMT solver (z3; as AWS Zelkova does), and names a counterexample otherwise "
        '(IAM User Guide, "Policy evaluation logic" and "IAM policy elements: Variables and tags").'
    ),
    remediation=REMEDIATION,
    references=(
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_s3_cognito-bucket.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html",
    ),
    check=check,
)
