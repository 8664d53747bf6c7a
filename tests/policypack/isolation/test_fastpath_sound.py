"""The fast path is sound: every generated shape it accepts, the solver proves isolated."""

from __future__ import annotations

from cognito_s3_guard.isolation.check import decide
from cognito_s3_guard.isolation.fastpath import fast_isolated
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .helpers import ARN, SUB, TIMEOUT_MS, problem

HEADS = ["users/", "private/", "users/a/", "u"]
RESTS = ["/*", "*", "/docs/*", "", f"/{SUB}/*"]
ACTIONS = [["s3:GetObject"], ["s3:PutObject", "s3:DeleteObject"], ["s3:*"], ["s3:Get*", "s3:ListBucket"]]


@st.composite
def usual_shape(draw: st.DrawFn) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for _ in range(draw(st.integers(1, 2))):
        head, rest = draw(st.sampled_from(HEADS)), draw(st.sampled_from(RESTS))
        out.append({"Effect": "Allow", "Action": draw(st.sampled_from(ACTIONS)),
                    "Resource": f"{ARN}/{head}{SUB}{rest}"})  # fmt: skip
    if draw(st.booleans()):
        head = draw(st.sampled_from(HEADS))
        cond = {"StringLike": {"s3:prefix": [f"{head}{SUB}/", f"{head}{SUB}/*"]}}
        out.append({"Effect": "Allow", "Action": "s3:ListBucket", "Resource": ARN, "Condition": cond})
    return out


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(usual_shape())
def test_fast_path_accepts_only_isolated_shapes(stmts: list[dict[str, object]]) -> None:
    p = problem(*stmts)
    if not fast_isolated(p):
        return
    for prop in ("write", "read"):
        verdict, _ = decide(p, prop, TIMEOUT_MS)
        assert verdict.kind == "isolated", (prop, stmts, verdict)
