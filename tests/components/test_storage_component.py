"""components/storage.py and the S3 grants under mocks, first preview and deployed: hardening, both layers."""

from __future__ import annotations

import pytest

from components.access import kms_key_policy
from offline.mockrun import registered
from offline.model import UNKNOWN

BUCKET = "aws:s3/bucket:Bucket"
BPA = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
CORS = "aws:s3/bucketCorsConfiguration:BucketCorsConfiguration"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
SUB = "${cognito-identity.amazonaws.com:sub}"


def names(capture):
    bucket = capture.one(BUCKET).inputs["bucket"]
    role = capture.one(ROLE).inputs["name"] if len(capture.by_type(ROLE)) == 1 else None
    return bucket, role


def expected_role_statements(bucket: str) -> list[dict]:
    return [
        {
            "Sid": "AuthenticatedObjectsUsersIdentity",
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::{bucket}/users/{SUB}/*",
        },
        {
            "Sid": "AuthenticatedListUsersIdentity",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{bucket}",
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}},
        },
    ]


def test_bucket_sub_resources_all_target_the_bucket_by_name(program, shape: str) -> None:
    capture = program("test", shape)
    bucket = capture.one(BUCKET)
    name = bucket.inputs["bucket"]
    assert name.startswith("user-files-bucket-")
    for token in (BPA, OWNERSHIP, SSE, VERSIONING, LIFECYCLE, CORS, BUCKET_POLICY):
        record = capture.one(token)
        assert record.inputs["bucket"] == name, token  # the name: known at preview
        assert record.property_dependencies["bucket"] == [bucket.urn], token


def test_block_public_access_all_four(program, shape: str) -> None:
    bpa = program("test", shape).one(BPA).inputs
    assert {
        k: bpa[k]
        for k in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
    } == {
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }


def test_bucket_owner_enforced(program, shape: str) -> None:
    assert program("test", shape).one(OWNERSHIP).inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_default_encryption_sse_s3(program, shape: str) -> None:
    capture = program("test", shape)
    assert capture.one(SSE).inputs["rules"] == [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}, "bucketKeyEnabled": False}
    ]
    assert capture.by_type(KEY) == []


def test_sse_kms_with_a_key_the_role_may_use(program, doc, shape: str) -> None:
    capture = program("prod", shape)
    key = capture.one(KEY)
    [rule] = capture.one(SSE).inputs["rules"]
    assert rule["bucketKeyEnabled"] is True
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    kms_key_id = rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"]
    assert kms_key_id == (UNKNOWN if shape == "preview" else key.outputs["arn"])
    assert key.inputs["enableKeyRotation"] is True
    assert (key.protect, key.retain_on_delete) == (True, True)
    role = capture.one(ROLE).inputs["name"]
    # Known at preview: the role ARN is built from the role name. (Exact JSON: test_access_model.py.)
    assert doc(key) == kms_key_policy("123456789012", [f"arn:aws:iam::123456789012:role/{role}"], "eu-west-1")
    assert key.property_dependencies["policy"] == [capture.one(ROLE).urn]


def test_key_policy_names_only_roles_that_reach_the_bucket(program, doc, one_named, shape: str) -> None:
    guests = {"allowGuests": "true", "kmsEncryption": "true"}
    capture = program("test", shape, **guests)
    authenticated = (
        f"arn:aws:iam::123456789012:role/{one_named(capture, ROLE, '-authenticated').inputs['name']}"
    )
    assert doc(capture.one(KEY))["Statement"][1]["Principal"] == {"AWS": authenticated}
    capture = program("test", shape, **guests, guestAccess='{"public/*": ["get"]}')
    guest = f"arn:aws:iam::123456789012:role/{one_named(capture, ROLE, '-guest').inputs['name']}"
    assert doc(capture.one(KEY))["Statement"][1]["Principal"] == {"AWS": [authenticated, guest]}


def test_versioning_and_lifecycle(program, shape: str) -> None:
    capture = program("test", shape)
    assert capture.one(VERSIONING).inputs["versioningConfiguration"] == {"status": "Enabled"}
    lifecycle = capture.one(LIFECYCLE)
    assert lifecycle.inputs["rules"] == [
        {
            "id": "expire-noncurrent-versions",
            "status": "Enabled",
            "filter": {},
            "noncurrentVersionExpiration": {"noncurrentDays": 30},
            "expiration": {"expiredObjectDeleteMarker": True},
        },
        {
            "id": "abort-incomplete-multipart-uploads",
            "status": "Enabled",
            "filter": {},
            "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
        },
    ]
    assert capture.one(VERSIONING).urn in lifecycle.dependencies
    assert program("prod", shape).one(LIFECYCLE).inputs["rules"][0]["noncurrentVersionExpiration"] == {
        "noncurrentDays": 90
    }


def test_cors_limited_to_configured_origins(program, shape: str) -> None:
    [rule] = program("test", shape).one(CORS).inputs["corsRules"]
    assert rule == {
        "allowedOrigins": ["http://localhost:5173"],
        "allowedMethods": ["DELETE", "GET", "HEAD", "POST", "PUT"],
        "allowedHeaders": ["*"],
        "exposeHeaders": ["ETag"],
        "maxAgeSeconds": 3000,
    }


def test_no_cors_without_origins_and_star_only_when_asked(program, shape: str) -> None:
    assert program("test", shape, corsOrigins="[]").by_type(CORS) == []
    [rule] = program("test", shape, corsOrigins='["*"]').one(CORS).inputs["corsRules"]
    assert rule["allowedOrigins"] == ["*"]


def test_cors_methods_follow_access_levels(program, shape: str) -> None:
    capture = program("test", shape, access='{"users/{identity}/*": ["read"]}')
    [rule] = capture.one(CORS).inputs["corsRules"]
    assert rule["allowedMethods"] == ["GET", "HEAD"]


@pytest.mark.parametrize(("stack", "long_lived"), [("test", False), ("prod", True)])
def test_data_never_lost_by_accident(program, shape: str, stack: str, long_lived: bool) -> None:
    capture = program(stack, shape, kmsEncryption="true")
    bucket = capture.one(BUCKET)
    assert bucket.protect is long_lived
    assert bucket.retain_on_delete is long_lived
    assert bucket.inputs["forceDestroy"] is (not long_lived)
    key = capture.one(KEY)
    assert (key.protect, key.retain_on_delete) == (long_lived, long_lived)
    # A retained bucket keeps its safeguards; none of them blocks changing the program.
    for token in (BPA, OWNERSHIP, SSE, VERSIONING):
        record = capture.one(token)
        assert (record.protect, record.retain_on_delete) == (False, long_lived), token


def test_bucket_policy_exact_json_known_at_preview(program, doc, shape: str) -> None:
    capture = program("test", shape)
    bucket, role = names(capture)
    principal = {"AWS": f"arn:aws:iam::123456789012:role/{role}"}
    grants = [
        {"Sid": s["Sid"], "Effect": "Allow", "Principal": principal} | s
        for s in expected_role_statements(bucket)
    ]
    assert doc(capture.one(BUCKET_POLICY)) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            *grants,
        ],
    }


def test_role_policy_exact_json_known_at_preview(program, doc, shape: str) -> None:
    capture = program("test", shape)
    bucket, role = names(capture)
    role_policy = capture.one(ROLE_POLICY)
    assert role_policy.inputs["role"] == role
    assert doc(role_policy) == {"Version": "2012-10-17", "Statement": expected_role_statements(bucket)}


def test_bucket_policy_mirrors_the_role_policy_never_wider(program, doc, shape: str) -> None:
    capture = program("prod", shape)  # prod also has a shared public/* read rule
    role_side = doc(capture.one(ROLE_POLICY))["Statement"]
    bucket_side = [s for s in doc(capture.one(BUCKET_POLICY))["Statement"] if s["Effect"] == "Allow"]
    assert [{k: v for k, v in s.items() if k != "Principal"} for s in bucket_side] == role_side
    assert len(role_side) == 4


def test_property_dependencies_show_the_graph(program, shape: str) -> None:
    capture = program("test", shape)
    bucket = capture.one(BUCKET).urn
    role = capture.one(ROLE).urn
    role_policy = capture.one(ROLE_POLICY)
    bucket_policy = capture.one(BUCKET_POLICY)
    assert role_policy.property_dependencies["policy"] == [bucket]
    assert role_policy.property_dependencies["role"] == [role]
    assert sorted(bucket_policy.property_dependencies["policy"]) == sorted([bucket, role])
    assert bucket_policy.property_dependencies["bucket"] == [bucket]
    # Block Public Access and ownership are applied before the policy.
    assert capture.one(BPA).urn in bucket_policy.dependencies
    assert capture.one(OWNERSHIP).urn in bucket_policy.dependencies


def test_guest_grants_in_both_layers(program, doc, one_named, shape: str) -> None:
    capture = program("test", shape, allowGuests="true", guestAccess='{"public/*": ["get"]}')
    bucket = capture.one(BUCKET).inputs["bucket"]
    guest = one_named(capture, ROLE, "-guest")
    guest_policy = one_named(capture, ROLE_POLICY, "-guest-s3")
    statement = {
        "Sid": "GuestObjectsPublic",
        "Effect": "Allow",
        "Action": ["s3:GetObject"],
        "Resource": f"arn:aws:s3:::{bucket}/public/*",
    }
    assert guest_policy.inputs["role"] == guest.inputs["name"]
    assert doc(guest_policy) == {"Version": "2012-10-17", "Statement": [statement]}
    bucket_statements = doc(capture.one(BUCKET_POLICY))["Statement"]
    assert bucket_statements[-1] == {
        "Sid": "GuestObjectsPublic",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::123456789012:role/{guest.inputs['name']}"},
        "Action": ["s3:GetObject"],
        "Resource": f"arn:aws:s3:::{bucket}/public/*",
    }
    assert guest.urn in capture.one(BUCKET_POLICY).property_dependencies["policy"]


def test_storage_resources_parented_under_the_bucket_component(program, shape: str) -> None:
    capture = program("prod", shape)
    [component] = [r for r in registered(capture) if r.type == "cognito-user-files:components:FileBucket"]
    for token in (BUCKET, BPA, OWNERSHIP, SSE, VERSIONING, LIFECYCLE, CORS, BUCKET_POLICY, KEY):
        assert capture.one(token).parent == component.urn, token
