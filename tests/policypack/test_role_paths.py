"""A role's path is part of its ARN (``arn:aws:iam::<account>:role<path><name>``): an ARN that spells
another path, or another account, does not name the role, whatever its last segment says.

Where the program refers to roles by ARN (an identity pool's role attachment, a user-pool group's
``roleArn``), the graph takes such an ARN for the role only when what is known of the role allows it: a
path or an account not known yet (a first preview) may still be the role's. Bucket-policy principals
are matched on path and name already (test_principals.py); the verdict rows pin both sides together.
"""

from __future__ import annotations

from typing import Any

import pytest
from cognito_s3_guard.graph import build_graph
from cognito_s3_guard.graph import tokens as T
from pack_builder import (
    ACCOUNT,
    StackBuilder,
    doc,
    full_pattern,
    pool_id_of,
    role_statements,
    tls_deny,
    trust,
)
from test_behaviours import GBP, ROLE_GRANTS, assert_verdict, expect
from test_graph_edges import node, urn

from offline.model import UNKNOWN

OTHER_ACCOUNT = "999999999999"
TEAM_ARN = f"arn:aws:iam::{ACCOUNT}:role/team/auth-role"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:role/auth-role"
HARDENING = ("bucket-hardening", "advisory", "missing", "files")

# --- graph: which role a pool's role attachment hands out -------------------------------------------


def role_node(rtype: str, path: Any, preview: bool) -> Any:
    """A role named auth-role under ``path`` (None: not set); its ARN computed (unknown at preview)."""
    spelled = "/" if path in (None, UNKNOWN) else path
    arn = UNKNOWN if preview else f"arn:aws:iam::{ACCOUNT}:role{spelled}auth-role"
    name_key = "roleName" if rtype == T.NATIVE_ROLE else "name"
    props = {name_key: "auth-role", "arn": arn, **({} if path is None else {"path": path})}
    return node(rtype, "auth-role", props)


def handed_out(rtype: str, path: Any, preview: bool, value: str) -> bool:
    """The pool's attachment, naming its role by the literal ARN ``value`` (no dependencies), reaches
    the program's role auth-role."""
    att_type = T.NATIVE_ROLE_ATTACHMENT if rtype == T.NATIVE_ROLE else T.ROLE_ATTACHMENT
    att = node(att_type, "att", {"identityPoolId": "us-east-1:0000-pool", "roles": {"authenticated": value}})
    g = build_graph([role_node(rtype, path, preview), att])
    return bool(g.roles[urn(rtype, "auth-role")].pools)


# (role path, ARN the attachment spells, is it the role: at preview, deployed)
LINK_ROWS = [
    ("/team/", TEAM_ARN, True, True),
    ("/team/", ROOT_ARN, False, False),
    ("/", TEAM_ARN, False, False),
    (None, TEAM_ARN, False, False),  # no path set: IAM's default "/"
    (None, ROOT_ARN, True, True),
    ("/", f"arn:aws:iam::{ACCOUNT}:role/a/b/auth-role", False, False),
    ("/a/b/", f"arn:aws:iam::{ACCOUNT}:role/a/b/auth-role", True, True),
    # The role's account is known once deployed; at a first preview its ARN may be in any account.
    ("/", f"arn:aws:iam::{OTHER_ACCOUNT}:role/auth-role", True, False),
    ("/team/", f"arn:aws:iam::{OTHER_ACCOUNT}:role/team/auth-role", True, False),
    ("/team/", f"arn:aws-cn:iam::{ACCOUNT}:role/auth-role", False, False),
    # Only a literal account id rules the role out; anything else in its place does not decide.
    ("/", "arn:aws:iam::*:role/auth-role", True, True),
]


@pytest.mark.parametrize("rtype", [T.ROLE, T.NATIVE_ROLE], ids=["aws", "aws-native"])
@pytest.mark.parametrize(
    ("path", "value", "at_preview", "deployed"),
    LINK_ROWS,
    ids=["same-path", "path-missing-from-arn", "path-added-in-arn", "default-path-added-in-arn",
         "default-path", "nested-path-added", "nested-path", "other-account", "other-account-same-path",
         "another-partition-and-path", "account-not-a-literal"],
)  # fmt: skip
def test_a_role_arn_names_the_role_only_with_the_role_s_path_and_account(
    rtype, path, value, at_preview, deployed
):
    assert handed_out(rtype, path, True, value) is at_preview
    assert handed_out(rtype, path, False, value) is deployed


@pytest.mark.parametrize("rtype", [T.ROLE, T.NATIVE_ROLE], ids=["aws", "aws-native"])
@pytest.mark.parametrize("value", [TEAM_ARN, ROOT_ARN, f"arn:aws:iam::{OTHER_ACCOUNT}:role/x/auth-role"])
def test_a_role_whose_path_is_not_known_yet_may_be_named_by_any_path(rtype, value):
    """A computed path (unknown at preview): a path in the ARN cannot be ruled out, so the role may be
    the one handed out, as before."""
    assert handed_out(rtype, UNKNOWN, True, value)


def test_a_user_group_role_arn_with_another_path_is_not_the_role():
    """The same rule for a user-pool group's roleArn: the group's members do not get a role of that name
    under another path."""
    roles = [role_node(T.ROLE, "/team/", False)]
    for value, expected in ((TEAM_ARN, 1), (ROOT_ARN, 0)):
        group = node(
            T.USER_GROUP, "admins", {"name": "admins", "userPoolId": "us-east-1_x", "roleArn": value}
        )
        g = build_graph([*roles, group])
        assert len(g.roles[urn(T.ROLE, "auth-role")].groups) == expected, value


# --- verdicts: a program that spells its ARNs out --------------------------------------------------


def spelled_out(preview: bool, path: Any, handed: str, principal: str | None) -> StackBuilder:
    """The full pattern with literal references only (no property dependencies); the role under
    ``path`` (UNKNOWN: computed, ``/team/`` once deployed), the pool handing out ``handed``, and a
    mirror bucket policy granting ``principal`` (None: no bucket policy)."""
    b = StackBuilder(preview=preview)
    t = full_pattern(b, with_bucket_policy=False)
    spelled = "/team/" if path is UNKNOWN else path
    t.role.inputs["path"] = path
    t.role.outputs["path"] = path if preview else spelled
    if not preview:
        t.role.outputs["arn"] = f"arn:aws:iam::{ACCOUNT}:role{spelled}auth-role"
    t.role.outputs["assumeRolePolicy"] = t.role.inputs["assumeRolePolicy"] = trust(pool_id_of(t.pool))
    t.attachment.outputs = t.attachment.inputs = {
        "identityPoolId": pool_id_of(t.pool),
        "roles": {"authenticated": handed},
    }
    if principal is not None:
        stmts = [{**s, "Principal": {"AWS": principal}} for s in role_statements("files")]
        b.bucket_policy(t.bucket, t.role, doc(*stmts, tls_deny("files")))
    for r in b.resources:
        r.property_dependencies, r.dependencies = {}, []
    return b


NO_BUCKET_POLICY = expect(
    (GBP, "mandatory", "no-bucket-policy", "files"), HARDENING, grants={(GBP, "files"): ROLE_GRANTS}
)
NOT_GRANTED = expect(
    (GBP, "mandatory", "not-granted", "files-policy"), grants={(GBP, "files-policy"): ROLE_GRANTS}
)


def team_role_granted_by_its_arn(preview: bool):
    """Compliant: the role under /team/, handed out and granted by the ARN with that path."""
    return spelled_out(preview, "/team/", TEAM_ARN, TEAM_ARN), expect()


def team_role_without_bucket_policy(preview: bool):
    return spelled_out(preview, "/team/", TEAM_ARN, None), NO_BUCKET_POLICY


def team_role_granted_by_an_arn_without_its_path(preview: bool):
    """The bucket policy's principal ``role/auth-role`` is not the role ``/team/auth-role``."""
    return spelled_out(preview, "/team/", TEAM_ARN, ROOT_ARN), NOT_GRANTED


def root_role_granted_by_an_arn_with_another_path(preview: bool):
    """The role at ``/``: a grant to ``role/team/auth-role`` grants it nothing."""
    return spelled_out(preview, "/", ROOT_ARN, TEAM_ARN), NOT_GRANTED


UNASSUMABLE = expect(("unassumable-role", "advisory", "unassumable", "roles"))
LAMBDA_TRUST = doc(
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
)


def lambda_role_handed_out(preview: bool, path: str, handed: str) -> StackBuilder:
    """A role no Cognito identity can assume (a Lambda trust), which the pool hands out only by the ARN
    ``handed`` (its trust does not make it a Cognito role: only that ARN can)."""
    b = spelled_out(preview, path, handed, None)
    role = next(r for r in b.resources if r.type == T.ROLE)
    role.inputs["assumeRolePolicy"] = role.outputs["assumeRolePolicy"] = LAMBDA_TRUST
    return b


def pool_hands_out_the_role_by_its_arn(preview: bool):
    """Non-compliant: the pool hands out ``role/team/auth-role``, the role at /team/ that it cannot
    assume."""
    return lambda_role_handed_out(preview, "/team/", TEAM_ARN), UNASSUMABLE


def pool_hands_out_the_name_under_another_path(preview: bool):
    """The pool hands out ``role/team/auth-role``; the program's auth-role is at ``/``: it is not the
    pool's role (that one is outside the program), so nothing says the pool hands out an unassumable
    role."""
    return lambda_role_handed_out(preview, "/", TEAM_ARN), expect()


def pool_hands_out_the_name_in_another_account(preview: bool):
    """Deployed, the role's account is known and differs: not the pool's role. At a first preview the
    role's ARN is unknown: it may be the pool's, as before."""
    b = lambda_role_handed_out(preview, "/", f"arn:aws:iam::{OTHER_ACCOUNT}:role/auth-role")
    return b, UNASSUMABLE if preview else expect()


def computed_path_granted_by_an_arn_with_a_path(preview: bool):
    """A path computed at preview: the ARN the pool hands out may be the role's (it is, deployed)."""
    return spelled_out(preview, UNKNOWN, TEAM_ARN, None), NO_BUCKET_POLICY


ROWS = [
    team_role_granted_by_its_arn,
    team_role_without_bucket_policy,
    team_role_granted_by_an_arn_without_its_path,
    root_role_granted_by_an_arn_with_another_path,
    pool_hands_out_the_role_by_its_arn,
    pool_hands_out_the_name_under_another_path,
    pool_hands_out_the_name_in_another_account,
    computed_path_granted_by_an_arn_with_a_path,
]


@pytest.mark.parametrize("preview", [True, False], ids=["preview", "deployed"])
@pytest.mark.parametrize("row", ROWS, ids=[r.__name__ for r in ROWS])
def test_role_path_verdict(check, row, preview):
    b, e = row(preview)
    assert_verdict(check(b.capture()), e)
