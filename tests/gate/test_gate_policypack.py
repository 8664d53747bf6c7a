"""The gate with the product's policy pack, on programs that are not ours and on ours.

tests/gate/programs/ hold two small programs written with plain pulumi_aws resources (none of this
repo's components), to show the gate judges any Pulumi Python program:
- ``clean``: a Cognito role reaching ``users/${sub}/`` with a bucket policy mirroring exactly that
  grant, a trust policy with ``aud`` and ``amr``, and a hardened bucket. It must pass.
- ``blocked``: the same with one mistake chosen by config. Each must be blocked, naming the culprit.

The clean programs run as a first preview (computed values unknown) and in the deployed shape; the
blocked ones at a first preview, where it counts (the pack's own tests cover deployed shapes). The
root program (``__main__.py``, stack ``test``) must pass as the README promises.
"""

from __future__ import annotations

import pytest
from gate_run import POLICYPACK, PROGRAMS, REPO, run_gate

from offline.gate import EXIT_BLOCKED, EXIT_CLEAN

pytestmark = pytest.mark.protocol

SHAPES = pytest.mark.parametrize("shape", [[], ["--deployed"]], ids=["preview", "deployed"])


def _assert_clean(run_code: int, out: str, err: str) -> None:
    assert run_code == EXIT_CLEAN, out + err
    assert "- [mandatory]" not in out
    assert "skipped at preview" not in out  # no policy gave up on an unknown value
    assert "no mandatory violations" in out.splitlines()[-1]


@SHAPES
def test_clean_program_passes(shape: list[str]) -> None:
    run = run_gate("--program", str(PROGRAMS / "clean"), "--pack", str(POLICYPACK), *shape)
    _assert_clean(run.code, run.out, run.err)


# mistake -> resources the pack may name as the culprit (type, logical name); one must be named.
CULPRITS = {
    "widened-grant": {
        ("aws:s3/bucketPolicy:BucketPolicy", "files-policy"),
        ("aws:s3/bucket:Bucket", "files"),
    },
    "no-bucket-policy": {("aws:s3/bucket:Bucket", "files"), ("aws:iam/role:Role", "authenticated")},
    "no-aud": {("aws:iam/role:Role", "authenticated")},
}


@pytest.mark.parametrize("mistake", sorted(CULPRITS))
def test_blocked_program_is_blocked_at_preview_naming_the_culprit(mistake: str) -> None:
    run = run_gate(
        "--program", str(PROGRAMS / "blocked"), "--pack", str(POLICYPACK), "-c", f"mistake={mistake}"
    )

    assert run.code == EXIT_BLOCKED, run.out + run.err
    named = {(d["type"], d["name"]) for d in run.diagnostics("mandatory")}
    assert named & CULPRITS[mistake], f"no mandatory diagnostic names {CULPRITS[mistake]}:\n{run.out}"
    assert run.out.splitlines()[-1].startswith("BLOCKED: ")


@SHAPES
def test_root_program_test_stack_passes(shape: list[str]) -> None:
    run = run_gate("--program", str(REPO), "--stack", "test", "--pack", str(POLICYPACK), *shape)
    _assert_clean(run.code, run.out, run.err)
    assert "aws:s3:BucketPolicy" in run.out and "aws:iam:Role" in run.out
