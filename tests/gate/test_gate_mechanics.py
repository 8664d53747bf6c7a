"""The gate's mechanics, end to end, with a tiny pack of these tests' own (tests/gate/packs/forbid).

The pack's ``forbid-type`` policy blocks whatever resource types ``--policy-config`` names, so these
tests decide the verdict without depending on the product's pack: exit codes, attribution of
per-resource diagnostics to their resource, program failures, and a broken pack.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from gate_run import PROGRAMS, REPO, TEST_PACK, run_gate

from offline.gate import EXIT_BLOCKED, EXIT_CLEAN, EXIT_PACK_FAILED, EXIT_PROGRAM_FAILED

pytestmark = pytest.mark.protocol

CLEAN = str(PROGRAMS / "clean")


def _forbid(tmp_path: Path, *types: str) -> str:
    path = tmp_path / "policy-config.json"
    path.write_text(json.dumps({"forbid-type": {"types": list(types)}}))
    return str(path)


def test_advisory_only_exits_zero_and_prints_plan_and_verdict() -> None:
    run = run_gate("--program", CLEAN, "--pack", str(TEST_PACK))

    assert run.code == EXIT_CLEAN, run.err
    assert run.out.startswith("Previewing update (test) offline")
    assert " +   pulumi:pulumi:Stack " in run.out
    assert " +   ├─ aws:s3:Bucket " in run.out or " +   └─ aws:s3:Bucket " in run.out
    assert "    ⚠️  gate-test-pack@v0.0.1 (local: " in run.out
    assert run.diagnostics() == [
        {
            "level": "advisory",
            "policy": "count-resources",
            "type": "pulumi:pulumi:Stack",
            "name": "gate-clean-test",
        }
    ]
    assert "saw 14 resources" in run.out
    assert "Resources:\n    + 14 to create\n" in run.out
    assert run.out.rstrip().endswith("no mandatory violations (1 advisory)")
    assert "    identityPoolId: output<string>" in run.out  # first preview: computed values unknown


def test_mandatory_violation_exits_non_zero_and_names_the_resource(tmp_path: Path) -> None:
    run = run_gate(
        "--program",
        CLEAN,
        "--pack",
        str(TEST_PACK),
        "--policy-config",
        _forbid(tmp_path, "aws:iam/role:Role"),
    )

    assert run.code == EXIT_BLOCKED
    assert run.diagnostics("mandatory") == [
        {"level": "mandatory", "policy": "forbid-type", "type": "aws:iam/role:Role", "name": "authenticated"}
    ]
    assert "    ❌ gate-test-pack" in run.out
    assert "aws:iam/role:Role is forbidden by this pack's config" in run.out
    assert run.out.rstrip().endswith(
        "BLOCKED: 1 mandatory violation (1 advisory): `pulumi preview --policy-pack` would fail"
    )


def test_deployed_shape_has_every_value_known() -> None:
    run = run_gate("--program", CLEAN, "--pack", str(TEST_PACK), "--deployed")

    assert run.code == EXIT_CLEAN, run.err
    assert "deployed shape: every value known" in run.out.splitlines()[0]
    assert "output<string>" not in run.out
    assert '    identityPoolId: "us-east-1:' in run.out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--stack", "bare"],
            # The CLI's own check, before the program runs: the key is declared without a default.
            "Stack 'bare' is missing configuration value 'allowedOrigin'",
        ),
        (
            ["-c", "allowedOrigin=http://app.example.com"],
            "gate-clean:allowedOrigin is 'http://app.example.com'; expected an https origin",
        ),
    ],
    ids=["missing-config", "bad-config-value"],
)
def test_program_failure_exits_2_with_the_programs_message(argv: list[str], message: str) -> None:
    run = run_gate("--program", CLEAN, "--pack", str(TEST_PACK), *argv)

    assert run.code == EXIT_PROGRAM_FAILED
    assert run.out == ""  # nothing planned, nothing judged
    assert "error: the program in" in run.err and "nothing was judged" in run.err
    assert message in run.err


def test_not_a_program_directory(tmp_path: Path) -> None:
    run = run_gate("--program", str(tmp_path), "--pack", str(TEST_PACK))
    assert run.code == EXIT_PROGRAM_FAILED
    assert "not found" in run.err


def test_missing_pack_exits_3_after_the_plan(tmp_path: Path) -> None:
    run = run_gate("--program", CLEAN, "--pack", str(tmp_path))
    assert run.code == EXIT_PACK_FAILED
    assert run.out.startswith("Previewing update")
    assert "could not judge the stack" in run.err and "no __main__.py" in run.err


def test_unknown_policy_in_policy_config_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cfg.json"
    path.write_text(json.dumps({"no-such-policy": "mandatory"}))
    run = run_gate("--program", CLEAN, "--pack", str(TEST_PACK), "--policy-config", str(path))
    assert run.code == EXIT_PACK_FAILED
    assert "'no-such-policy'" in run.err


def test_console_entry_point_exit_code(tmp_path: Path) -> None:
    """``python -m offline.gate`` as a user runs it: the process exit code is the verdict."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "offline.gate",
            "--program",
            CLEAN,
            "--pack",
            str(TEST_PACK),
            "--policy-config",
            _forbid(tmp_path, "aws:s3/bucketPolicy:BucketPolicy"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == EXIT_BLOCKED, proc.stderr
    assert "- [mandatory]  forbid-type  (aws:s3/bucketPolicy:BucketPolicy: files-policy)" in proc.stdout
