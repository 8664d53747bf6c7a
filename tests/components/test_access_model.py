"""components/access.py: validation of access descriptions, and exact JSON of both policy layers."""

from __future__ import annotations

import pytest

from components.access import (
    AccessDescription,
    AccessError,
    bucket_arn,
    bucket_policy_document,
    bucket_policy_grants,
    kms_key_policy,
    parse_access,
    parse_rules,
    role_arn,
    role_policy_document,
    role_statements,
    tls_deny_statement,
)

B = "files-1a2b3c4"
ROLE = "arn:aws:iam::123456789012:role/user-files-authenticated-abc1234"
SUB = "${cognito-identity.amazonaws.com:sub}"
OBJ = f"arn:aws:s3:::{B}/users/{SUB}/*"
LIST_CONDITION = {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}}


def statements_for(levels: list[str], path: str = "users/{identity}/*") -> list[dict]:
    return role_statements(parse_rules({path: levels}), B)


# --------------------------------------------------------------------------------------------------
# Exact JSON per access level: the role side
# --------------------------------------------------------------------------------------------------

GET = {
    "Sid": "AuthenticatedObjectsUsersIdentity",
    "Effect": "Allow",
    "Action": ["s3:GetObject"],
    "Resource": OBJ,
}
LIST = {
    "Sid": "AuthenticatedListUsersIdentity",
    "Effect": "Allow",
    "Action": "s3:ListBucket",
    "Resource": f"arn:aws:s3:::{B}",
    "Condition": LIST_CONDITION,
}


def test_level_get() -> None:
    assert statements_for(["get"]) == [GET]


def test_level_list_is_limited_to_the_callers_folder() -> None:
    assert statements_for(["list"]) == [LIST]


def test_level_read_is_get_plus_list() -> None:
    assert statements_for(["read"]) == [GET, LIST]
    assert statements_for(["get", "list"]) == statements_for(["read"])


def test_level_write() -> None:
    assert statements_for(["write"]) == [
        {
            "Sid": "AuthenticatedObjectsUsersIdentity",
            "Effect": "Allow",
            "Action": ["s3:PutObject"],
            "Resource": OBJ,
        }
    ]


def test_level_delete() -> None:
    assert statements_for(["delete"]) == [
        {
            "Sid": "AuthenticatedObjectsUsersIdentity",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject"],
            "Resource": OBJ,
        }
    ]


def test_read_write_delete_document() -> None:
    access = parse_access({"users/{identity}/*": ["read", "write", "delete"]})
    assert role_policy_document(access, "authenticated", B) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AuthenticatedObjectsUsersIdentity",
                "Effect": "Allow",
                "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
                "Resource": OBJ,
            },
            LIST,
        ],
    }


def test_shared_folder_without_identity() -> None:
    assert role_statements(parse_rules({"public/media/*": ["read"]}), B) == [
        {
            "Sid": "AuthenticatedObjectsPublicMedia",
            "Effect": "Allow",
            "Action": ["s3:GetObject"],
            "Resource": f"arn:aws:s3:::{B}/public/media/*",
        },
        {
            "Sid": "AuthenticatedListPublicMedia",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{B}",
            "Condition": {"StringLike": {"s3:prefix": ["public/media/", "public/media/*"]}},
        },
    ]


def test_colliding_sids_are_made_unique() -> None:
    sids = [s["Sid"] for s in role_statements(parse_rules({"a-b/*": ["get"], "a.b/*": ["get"]}), B)]
    assert sids == ["AuthenticatedObjectsAB", "AuthenticatedObjectsAB2"]


def test_other_partition() -> None:
    [statement] = role_statements(parse_rules({"users/{identity}/*": ["get"]}), B, partition="aws-cn")
    assert statement["Resource"] == f"arn:aws-cn:s3:::{B}/users/{SUB}/*"


# --------------------------------------------------------------------------------------------------
# The bucket-policy mirror: same actions, resources and conditions, plus the role as principal
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "levels", [["get"], ["list"], ["read"], ["write"], ["delete"], ["read", "write", "delete"]]
)
def test_mirror_equals_role_statements_plus_principal(levels: list[str]) -> None:
    rules = parse_rules({"users/{identity}/*": levels})
    role_side = role_statements(rules, B)
    bucket_side = bucket_policy_grants(rules, B, ROLE)
    assert [{k: v for k, v in s.items() if k != "Principal"} for s in bucket_side] == role_side
    assert all(s["Principal"] == {"AWS": ROLE} for s in bucket_side)


def test_mirror_exact_json_for_write() -> None:
    assert bucket_policy_grants(parse_rules({"users/{identity}/*": ["write"]}), B, ROLE) == [
        {
            "Sid": "AuthenticatedObjectsUsersIdentity",
            "Effect": "Allow",
            "Principal": {"AWS": ROLE},
            "Action": ["s3:PutObject"],
            "Resource": OBJ,
        }
    ]


def test_mirror_never_wider_than_the_field_reports_fix() -> None:
    """The seed's bucket policy granted ``users/*``; ours names exactly the caller's own folder."""
    grants = bucket_policy_grants(parse_rules({"users/{identity}/*": ["read", "write", "delete"]}), B, ROLE)
    resources = {s["Resource"] for s in grants}
    assert resources == {OBJ, f"arn:aws:s3:::{B}"}
    assert f"arn:aws:s3:::{B}/users/*" not in resources
    [listing] = [s for s in grants if s["Action"] == "s3:ListBucket"]
    assert listing["Condition"] == LIST_CONDITION


def test_tls_deny_exact() -> None:
    assert tls_deny_statement(B) == {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [f"arn:aws:s3:::{B}", f"arn:aws:s3:::{B}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_bucket_policy_document_with_guest_rules() -> None:
    guest_role = "arn:aws:iam::123456789012:role/guest-1"
    access = parse_access({"users/{identity}/*": ["write"]}, {"public/*": ["get"]})
    assert bucket_policy_document(access, B, {"authenticated": ROLE, "guest": guest_role}) == {
        "Version": "2012-10-17",
        "Statement": [
            tls_deny_statement(B),
            {
                "Sid": "AuthenticatedObjectsUsersIdentity",
                "Effect": "Allow",
                "Principal": {"AWS": ROLE},
                "Action": ["s3:PutObject"],
                "Resource": OBJ,
            },
            {
                "Sid": "GuestObjectsPublic",
                "Effect": "Allow",
                "Principal": {"AWS": guest_role},
                "Action": ["s3:GetObject"],
                "Resource": f"arn:aws:s3:::{B}/public/*",
            },
        ],
    }


def test_bucket_policy_document_refuses_a_role_without_arn() -> None:
    access = parse_access({"users/{identity}/*": ["write"]}, {"public/*": ["get"]})
    with pytest.raises(ValueError, match="the guest role has access rules but no role ARN"):
        bucket_policy_document(access, B, {"authenticated": ROLE})


def test_arns_from_names() -> None:
    assert bucket_arn(B) == f"arn:aws:s3:::{B}"
    assert role_arn("123456789012", "r-1") == "arn:aws:iam::123456789012:role/r-1"
    assert role_arn("123456789012", "r-1", "/app/") == "arn:aws:iam::123456789012:role/app/r-1"
    with pytest.raises(ValueError, match="role path must start and end with '/'"):
        role_arn("123456789012", "r-1", "app")


def test_kms_key_policy_exact() -> None:
    assert kms_key_policy("123456789012", [ROLE], "eu-west-1") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersKey",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "CognitoRolesUseKeyThroughS3",
                "Effect": "Allow",
                "Principal": {"AWS": ROLE},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
                        "kms:CallerAccount": "123456789012",
                    }
                },
            },
        ],
    }


# --------------------------------------------------------------------------------------------------
# Validation: compliant and noncompliant descriptions
# --------------------------------------------------------------------------------------------------

COMPLIANT = [
    {"users/{identity}/*": ["read", "write", "delete"]},
    {"users/{identity}/*": ["read", "write", "delete"], "public/*": ["read"]},
    {"users/{identity}/photos/*": ["get"], "users-shared/*": ["list"]},
    {"a/b/c/*": ["write"], "a/d/*": ["get"]},
]


@pytest.mark.parametrize("raw", COMPLIANT)
def test_compliant_descriptions(raw: dict) -> None:
    rules = parse_rules(raw)
    assert [r.path for r in rules] == list(raw)


NONCOMPLIANT = [
    ({"users/{identity}": ["read"]}, "access rule 'users/{identity}': the path must end in '/*'"),
    ({"users/{identity}/**": ["read"]}, "must end in '/*'"),
    (
        {"/users/{identity}/*": ["read"]},
        "access rule '/users/{identity}/*': the path must not start with '/'",
    ),
    ({"/*": ["read"]}, "whole-bucket rules are not allowed"),
    ({"users//*": ["read"]}, "access rule 'users//*': empty path segment"),
    ({"users/user-{identity}/*": ["read"]}, "'{identity}' must stand alone as a whole path segment"),
    ({"users/{identity}x/*": ["read"]}, "'{identity}' must stand alone"),
    (
        {"users/{sub}/*": ["read"]},
        "'{identity}' must stand alone as a whole path segment, not inside '{sub}'",
    ),
    ({"users/${cognito-identity.amazonaws.com:sub}/*": ["read"]}, "no wildcards or policy variables"),
    ({"users/*/docs/*": ["read"]}, "segment '*': no wildcards"),
    ({"users/a b/*": ["read"]}, "segment 'a b' may use only letters, digits"),
    ({"users/../*": ["read"]}, "access rule 'users/../*': segment '..' is not a folder name"),
    ({"./{identity}/*": ["read"]}, "segment '.' is not a folder name"),
    ({"{identity}/{identity}/*": ["read"]}, "may appear only once"),
    ({"users/{identity}/*": []}, "access rule 'users/{identity}/*': empty rule"),
    (
        {"users/{identity}/*": ["admin"]},
        "unknown access level 'admin'; allowed: get, list, read, write, delete",
    ),
    ({"users/{identity}/*": "read"}, "access levels must be a list"),
    (
        {"users/*": ["read"], "users/{identity}/*": ["write"]},
        "rules 'users/*' and 'users/{identity}/*' overlap",
    ),
    ({"media/*": ["get"], "media/albums/*": ["write"]}, "'media/*' and 'media/albums/*' overlap"),
    ({"": ["read"]}, "the path must be a non-empty string"),
]


@pytest.mark.parametrize(
    ("raw", "message"), NONCOMPLIANT, ids=[f"noncompliant-{i}" for i in range(len(NONCOMPLIANT))]
)
def test_noncompliant_descriptions_name_the_rule(raw: dict, message: str) -> None:
    with pytest.raises(AccessError) as err:
        parse_rules(raw)
    assert message in str(err.value)


def test_identity_folder_and_literal_folder_do_not_overlap() -> None:
    """An identity ID contains ':', which no literal segment may, so the two never name one folder."""
    assert len(parse_rules({"users/{identity}/*": ["read"], "users/shared/*": ["read"]})) == 2


def test_guest_rules_may_not_be_per_identity() -> None:
    with pytest.raises(
        AccessError, match=r"guest access rule 'users/{identity}/\*'.*guest rules may not use"
    ):
        parse_access({"users/{identity}/*": ["read"]}, {"users/{identity}/*": ["read"]})


def test_guest_and_authenticated_rules_may_share_a_folder() -> None:
    access = parse_access({"users/{identity}/*": ["read"], "public/*": ["write"]}, {"public/*": ["get"]})
    assert [r.path for r in access.guest] == ["public/*"]


def test_authenticated_access_must_not_be_empty() -> None:
    with pytest.raises(AccessError, match="authenticated access is empty"):
        parse_access({})


def test_not_a_mapping() -> None:
    with pytest.raises(AccessError, match="must be an object of path -> levels"):
        parse_rules(["users/{identity}/*"])  # type: ignore[arg-type]


def test_user_folder_prefix() -> None:
    assert (
        parse_access({"public/*": ["read"], "users/{identity}/*": ["read"]}).user_folder_prefix() == "users/"
    )
    assert parse_access({"{identity}/*": ["read"]}).user_folder_prefix() == ""
    assert parse_access({"users/{identity}/photos/*": ["read"]}).user_folder_prefix() is None
    assert AccessDescription(()).user_folder_prefix() is None


def test_identity_folders_lists_every_per_identity_rule_in_order() -> None:
    access = parse_access(
        {"private/{identity}/*": ["read"], "public/*": ["get"], "profile/{identity}/pics/*": ["get"]}
    )
    assert access.identity_folders() == ("private/{identity}/", "profile/{identity}/pics/")
    assert access.user_folder_prefix() == "private/"


def test_a_folder_beyond_the_s3_key_limit_is_refused() -> None:
    fits = "a/" * 483 + "{identity}/*"  # 966 + 55 + '/' = 1022 bytes: a one-byte name still fits
    assert parse_access({fits: ["read"]}).identity_folders()
    with pytest.raises(AccessError, match="at most 1024 bytes"):
        parse_access({"a/" * 484 + "{identity}/*": ["read"]})
