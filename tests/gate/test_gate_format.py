"""The gate's output as pure functions over StackCapture and Diagnostic: no subprocess, no Pulumi runtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from offline.gate import (
    EXIT_BLOCKED,
    EXIT_CLEAN,
    declared_pack_version,
    display_type,
    format_outputs,
    format_plan,
    format_policies,
    format_report,
    format_verdict,
    pack_label,
    parse_config_overrides,
    parse_urn,
    resource_label,
    tree_rows,
    verdict,
)
from offline.model import UNKNOWN, Diagnostic, ResourceRecord, StackCapture, secret

ROOT = Path(__file__).resolve().parents[2]
STACK_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack::proj-test"
COMP_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack$my:index:Files::files"
BUCKET_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack$my:index:Files$aws:s3/bucket:Bucket::files-bucket"
POLICY_URN = (
    "urn:pulumi:test::proj::pulumi:pulumi:Stack$my:index:Files$aws:s3/bucketPolicy:BucketPolicy::files-policy"
)
ROLE_URN = "urn:pulumi:test::proj::pulumi:pulumi:Stack$aws:iam/role:Role::role"


def _capture(outputs: dict | None = None) -> StackCapture:
    return StackCapture(
        project="proj",
        stack="test",
        preview=True,
        resources=[
            ResourceRecord(STACK_URN, "pulumi:pulumi:Stack", "proj-test", custom=False),
            ResourceRecord(COMP_URN, "my:index:Files", "files", custom=False, parent=STACK_URN),
            ResourceRecord(BUCKET_URN, "aws:s3/bucket:Bucket", "files-bucket", parent=COMP_URN),
            ResourceRecord(
                "urn:pulumi:test::proj::pulumi:providers:aws::default", "pulumi:providers:aws", "default"
            ),
            ResourceRecord(ROLE_URN, "aws:iam/role:Role", "role", parent=STACK_URN),
            ResourceRecord(
                POLICY_URN,
                "aws:s3/bucketPolicy:BucketPolicy",
                "files-policy",
                parent=COMP_URN,
                property_dependencies={"bucket": [BUCKET_URN], "policy": [BUCKET_URN, ROLE_URN]},
            ),
        ],
        outputs=outputs or {},
    )


MANDATORY = Diagnostic(
    "no-widening", "mandatory", "Grants must not widen.\nfiles-policy grants users/*", POLICY_URN
)
ADVISORY = Diagnostic("bucket-hardening", "advisory", "Buckets are hardened.\nno versioning", BUCKET_URN)
SKIP = Diagnostic("x", "advisory", "can't run policy 'x' from policy pack 'p@v1' during preview: unknown")


@pytest.mark.parametrize(
    ("token", "shown"),
    [
        ("aws:s3/bucket:Bucket", "aws:s3:Bucket"),
        ("aws:s3/bucketPolicy:BucketPolicy", "aws:s3:BucketPolicy"),
        (
            "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment",
            "aws:cognito:IdentityPoolRoleAttachment",
        ),
        ("aws:s3/bucketV2:BucketV2", "aws:s3:BucketV2"),
        ("aws:index/provider:Provider", "aws:index:Provider"),
        ("pulumi:pulumi:Stack", "pulumi:pulumi:Stack"),
        ("my:index:Files", "my:index:Files"),
        ("aws:s3/other:Bucket", "aws:s3/other:Bucket"),
        ("not-a-token", "not-a-token"),
    ],
)
def test_display_type_shortens_like_the_cli(token: str, shown: str) -> None:
    assert display_type(token) == shown


def test_tree_nests_children_under_parents_and_hides_default_providers() -> None:
    rows = [(r.prefix, r.type, r.name) for r in tree_rows(_capture())]
    assert rows == [
        ("", "pulumi:pulumi:Stack", "proj-test"),
        ("├─ ", "my:index:Files", "files"),
        ("│  ├─ ", "aws:s3:Bucket", "files-bucket"),
        ("│  └─ ", "aws:s3:BucketPolicy", "files-policy"),
        ("└─ ", "aws:iam:Role", "role"),
    ]


def test_tree_keeps_a_resource_whose_parent_is_missing() -> None:
    capture = StackCapture(
        "p", "s", True, [ResourceRecord("urn:x", "aws:iam/role:Role", "r", parent="urn:gone")]
    )
    assert [(r.prefix, r.name) for r in tree_rows(capture)] == [("", "r")]


def test_tree_survives_a_parent_cycle() -> None:
    a = ResourceRecord("urn:a", "t:m:A", "a", parent="urn:b")
    b = ResourceRecord("urn:b", "t:m:B", "b", parent="urn:a")
    assert tree_rows(StackCapture("p", "s", True, [a, b])) == []  # no root: nothing to hang them on, no hang


def test_plan_has_preview_columns_and_create_markers() -> None:
    lines = format_plan(_capture()).splitlines()
    assert lines[0].startswith("Previewing update (test) offline")
    assert "first-preview shape" in lines[0]
    assert lines[2].split() == ["Type", "Name", "Plan"]
    # Columns as wide as the widest entry: "│  └─ aws:s3:BucketPolicy" (25) and "files-policy" (12).
    assert lines[3] == " +   pulumi:pulumi:Stack        proj-test     create"
    assert lines[5] == " +   │  ├─ aws:s3:Bucket        files-bucket  create"
    assert all(line.startswith(" +   ") and line.endswith("  create") for line in lines[3:])
    assert len(lines[3:]) == 5
    assert "deployed shape" in format_plan(_capture(), deployed=True).splitlines()[0]


def test_outputs_show_unknowns_and_hide_secrets() -> None:
    text = format_outputs(
        {
            "bucket": "b-1",
            "poolId": UNKNOWN,
            "token": secret("s3cr3t"),
            "cfg": {"a": UNKNOWN},
            "keys": [secret("k3y"), 1],
        }
    )
    assert text.splitlines() == [
        "Outputs:",
        '    bucket: "b-1"',
        '    cfg:    {"a": "output<string>"}',
        '    keys:   ["[secret]", 1]',
        "    poolId: output<string>",
        "    token:  [secret]",
    ]
    assert "s3cr3t" not in text and "k3y" not in text
    assert format_outputs({}) == ""


def test_resource_label_for_known_unknown_and_stack_urns() -> None:
    capture = _capture()
    assert resource_label(POLICY_URN, capture) == "aws:s3/bucketPolicy:BucketPolicy: files-policy"
    assert resource_label("", capture) == "pulumi:pulumi:Stack: proj-test"
    other = "urn:pulumi:test::proj::pulumi:pulumi:Stack$aws:iam/rolePolicy:RolePolicy::gone"
    assert resource_label(other, capture) == "aws:iam/rolePolicy:RolePolicy: gone"
    assert parse_urn("garbage") == ("", "garbage")


@pytest.mark.parametrize(
    ("diagnostics", "counts", "exit_code", "line"),
    [
        ([], (0, 0, 0), EXIT_CLEAN, "no mandatory violations"),
        ([ADVISORY], (0, 1, 0), EXIT_CLEAN, "no mandatory violations (1 advisory)"),
        (
            [ADVISORY, SKIP],
            (0, 1, 1),
            EXIT_CLEAN,
            "no mandatory violations (1 advisory, 1 policy run(s) skipped at preview)",
        ),
        (
            [MANDATORY],
            (1, 0, 0),
            EXIT_BLOCKED,
            "BLOCKED: 1 mandatory violation: `pulumi preview --policy-pack` would fail",
        ),
        (
            [MANDATORY, MANDATORY, ADVISORY],
            (2, 1, 0),
            EXIT_BLOCKED,
            "BLOCKED: 2 mandatory violations (1 advisory): `pulumi preview --policy-pack` would fail",
        ),
    ],
    ids=["none", "advisory-only", "with-skip", "one-mandatory", "two-mandatory"],
)
def test_verdict_and_exit_code(
    diagnostics: list[Diagnostic], counts: tuple, exit_code: int, line: str
) -> None:
    v = verdict(diagnostics)
    assert (v.mandatory, v.advisory, v.preview_skips) == counts
    assert v.exit_code == exit_code
    assert format_verdict(v) == line


def test_policies_block_lists_mandatory_first_with_level_policy_resource_message() -> None:
    text = format_policies([ADVISORY, MANDATORY], _capture(), "pack@v0.1.0 (local: policypack)")
    assert text.splitlines() == [
        "Policies:",
        "    ❌ pack@v0.1.0 (local: policypack)",
        "        - [mandatory]  no-widening  (aws:s3/bucketPolicy:BucketPolicy: files-policy)",
        "          Grants must not widen.",
        "          files-policy grants users/*",
        "        - [advisory]  bucket-hardening  (aws:s3/bucket:Bucket: files-bucket)",
        "          Buckets are hardened.",
        "          no versioning",
    ]


def test_policies_block_clean_and_preview_skip_notes() -> None:
    assert format_policies([], _capture(), "p").splitlines() == ["Policies:", "    ✅ p"]
    skipped = format_policies([SKIP], _capture(), "p")
    assert "enforced nothing at this preview" in skipped


def test_report_ends_with_counts_then_verdict() -> None:
    text = format_report(_capture({"bucket": "b"}), [MANDATORY], "p")
    starts = [text.index(h) for h in ("Previewing update", "Policies:\n", "Outputs:\n", "Resources:\n")]
    assert starts == sorted(starts)
    assert "\n\nResources:\n    + 5 to create\n\nBLOCKED: 1 mandatory violation" in text
    assert text.endswith("would fail\n")


def test_declared_pack_version_is_read_from_pulumipolicy_yaml(tmp_path: Path) -> None:
    assert declared_pack_version(ROOT / "policypack") == "0.2.0"
    assert declared_pack_version(tmp_path) == ""  # no PulumiPolicy.yaml
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    assert declared_pack_version(tmp_path) == ""  # no version field
    (tmp_path / "PulumiPolicy.yaml").write_text("version: [unclosed\n")
    assert declared_pack_version(tmp_path) == ""  # not YAML


def test_pack_label() -> None:
    assert pack_label("guard", "0.1.0", "policypack") == "guard@v0.1.0 (local: policypack)"
    assert pack_label("guard", "", "policypack") == "guard (local: policypack)"


def test_config_overrides() -> None:
    assert parse_config_overrides(["a=1", "ns:b=x=y", "c="]) == {"a": "1", "ns:b": "x=y", "c": ""}
    with pytest.raises(ValueError, match="expected key=value"):
        parse_config_overrides(["novalue"])
    with pytest.raises(ValueError, match="expected key=value"):
        parse_config_overrides(["=1"])
