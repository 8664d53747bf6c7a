"""The shared property: identity A reaches a key outside its own (object) area through a statement that
is the same for every identity. A prefix that A may only list is not A's own; declared shared prefixes
exempt reads and listings under them, never writes. Rows are (statements, declared prefixes, the shared
verdict, the counterexample's action)."""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.isolation import check
from cognito_s3_guard.isolation.model import LIST
from cognito_s3_guard.isolation.oracle import allowed, in_area

from .helpers import ARN, SUB, TIMEOUT_MS, problem

OWN = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{ARN}/users/{SUB}/*"}


def on_public(action: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": f"{ARN}/public/*"}


def listing(*prefixes: str) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": LIST, "Resource": ARN,
            "Condition": {"StringLike": {"s3:prefix": list(prefixes)}}}  # fmt: skip


ROWS: dict[str, tuple[list[dict[str, Any]], tuple[str, ...], str, str | None]] = {
    "a read under a prefix every identity may list is still shared": (
        [listing(f"users/{SUB}/*", "public/*"), on_public("s3:GetObject")],
        (),
        "shared",
        "s3:GetObject",
    ),
    "a declared shared prefix exempts reads there": (
        [OWN, on_public("s3:GetObject")],
        ("public/",),
        "isolated",
        None,
    ),
    "a declared shared prefix does not exempt writes there": (
        [OWN, on_public("s3:PutObject")],
        ("public/",),
        "shared",
        "s3:PutObject",
    ),
    "a declared shared prefix exempts listing it": (
        [OWN, listing("public/*")],
        ("public/",),
        "isolated",
        None,
    ),
    "a listing outside the declared prefix is shared": (
        [OWN, listing("docs/*")],
        ("public/",),
        "shared",
        LIST,
    ),
}


@pytest.mark.parametrize("name", list(ROWS))
def test_a_grant_the_same_for_everyone_is_shared_unless_declared_and_read_only(name: str) -> None:
    stmts, declared, kind, action = ROWS[name]
    p = problem(*stmts, shared=declared)
    verdict = check(p, TIMEOUT_MS).shared
    assert verdict.kind == kind
    cx = verdict.counterexample
    if action is None:
        assert cx is None
        return
    assert cx is not None and cx.action == action and not in_area(p, cx.identity_a, cx.key, lists=False)
    if action == LIST:
        assert allowed(p, cx.identity_a, LIST, None, cx.prefix) and cx.prefix is not None
        assert not any(cx.prefix.startswith(s) for s in declared)
    else:
        assert allowed(p, cx.identity_a, action, cx.key, None) and cx.key.startswith("public/")
