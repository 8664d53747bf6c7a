"""``--json``: one JSON document on stdout with the verdict, the findings as data and the resources.

The findings are parsed from the pack's messages by contract 1 (``[rule] facts`` then ``Fix: ...``),
tested here on the pure parser, then end to end with the product's pack and with the gate tests' own
schema pack (which writes contract-1 messages), in-process and as ``python -m offline.gate``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from gate_run import PROGRAMS, REPO, run_gate

from offline.findings import PolicyText, finding, split_message
from offline.gate import EXIT_BLOCKED, EXIT_CLEAN, EXIT_PACK_FAILED
from offline.model import Diagnostic

SCHEMA_PACK = str(REPO / "tests" / "gate" / "packs" / "schema")
FIELDS = {"policy": str, "rule": str, "level": str, "message": str, "remediation": str}


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "Why it matters.\n[no-widening] too wide\nFix: grant less",
            ("no-widening", "too wide", "grant less"),
        ),
        (
            "Why it matters.\n[no-widening] too wide\nsecond line",
            ("no-widening", "too wide\nsecond line", None),
        ),
        ("Why it matters.\nplain words", (None, "plain words", None)),
        ("[rule-1] facts\nFix: one\ntwo", ("rule-1", "facts", "one\ntwo")),
    ],
)
def test_messages_split_by_contract_1(message: str, expected: tuple) -> None:
    assert split_message(message, "Why it matters.") == expected


def test_remediation_falls_back_to_the_policys_steps() -> None:
    tagged = Diagnostic("p", "mandatory", "Desc.\n[r] facts", "urn:x", description="Desc.")
    assert finding(tagged, PolicyText("Desc.", "Do this.")).remediation == "Do this."
    foreign = Diagnostic("p", "advisory", "Desc.\nsomething", "")
    found = finding(foreign, PolicyText("Desc.", ""))
    assert (found.rule, found.resource, found.message, found.remediation) == ("p", None, "something", "")


def _document(out: str) -> dict:
    document = json.loads(out)  # exactly one JSON document: json.loads refuses anything after it
    assert set(document) >= {"stack", "shape", "verdict", "findings", "resources"}
    for f in document["findings"]:
        assert all(isinstance(f[k], t) for k, t in FIELDS.items()), f
        assert f["resource"] is None or f["resource"].startswith("urn:pulumi:"), f
    return document


@pytest.mark.protocol
def test_root_program_test_stack_json_is_clean() -> None:
    run = run_gate("--program", str(REPO), "--stack", "test", "--json")
    assert run.code == EXIT_CLEAN, run.err
    document = _document(run.out)
    assert (document["stack"], document["shape"], document["verdict"]) == ("test", "preview", "clean")
    assert len(document["resources"]) == 18  # as the plan's "+ 18 to create"
    assert document["resources"][0]["type"] == "pulumi:pulumi:Stack"
    assert all(f["level"] != "mandatory" for f in document["findings"])


@pytest.mark.protocol
def test_a_role_reaching_a_bucket_without_bucket_policy_is_blocked_with_a_remediation() -> None:
    run = run_gate(
        "--program", str(PROGRAMS / "blocked"), "-c", "mistake=no-bucket-policy", "--json", "--deployed"
    )
    assert run.code == EXIT_BLOCKED, run.err
    document = _document(run.out)
    assert (document["shape"], document["verdict"]) == ("deployed", "blocked")
    [grant] = [f for f in document["findings"] if f["rule"] == "granting-bucket-policy"]
    assert grant["level"] == "mandatory" and grant["remediation"] and grant["resource"]


@pytest.mark.protocol
@pytest.mark.parametrize("level", ["advisory", "disabled"])
def test_a_rule_level_from_the_policy_config_moves_the_finding(level: str, tmp_path) -> None:
    """Issue 9's check: the blocking finding at another level through the policy config's ``rules``."""
    blocked = run_gate("--program", str(PROGRAMS / "blocked"), "-c", "mistake=no-bucket-policy", "--json")
    [grant] = [f for f in _document(blocked.out)["findings"] if f["rule"] == "granting-bucket-policy"]
    config = tmp_path / "levels.json"
    config.write_text(json.dumps({grant["policy"]: {"rules": {"granting-bucket-policy": level}}}))
    run = run_gate(
        "--program", str(PROGRAMS / "blocked"), "-c", "mistake=no-bucket-policy", "--json",
        "--policy-config", str(config),
    )  # fmt: skip
    assert run.code == EXIT_CLEAN, run.err
    levels = [f["level"] for f in _document(run.out)["findings"] if f["rule"] == "granting-bucket-policy"]
    assert levels == ([] if level == "disabled" else ["advisory"])


@pytest.mark.protocol
def test_contract_1_messages_give_rule_facts_and_fix() -> None:
    run = run_gate("--program", str(PROGRAMS / "clean"), "--pack", SCHEMA_PACK, "--json")
    assert run.code == EXIT_BLOCKED, run.err
    findings = _document(run.out)["findings"]
    assert findings[0] == {
        "policy": "per-rule",
        "rule": "bucket-named",
        "level": "mandatory",
        "resource": "urn:pulumi:test::gate-clean::pulumi:pulumi:Stack$aws:s3/bucket:Bucket::files",
        "message": "bucket files",
        "remediation": "name it otherwise",
    }  # mandatory first, as in the text report
    [advice] = [f for f in findings if f["policy"] == "plain-advice"]
    assert (advice["rule"], advice["remediation"]) == ("plain-advice", "Read the role's trust policy.")


@pytest.mark.protocol
def test_json_mode_keeps_stdout_empty_on_errors_and_the_exit_codes_unchanged(tmp_path) -> None:
    bad = tmp_path / "pc.json"
    bad.write_text('{"per-rule": {"rules": {"nope": "advisory"}}}')
    argv = [
        "--program",
        str(PROGRAMS / "clean"),
        "--pack",
        SCHEMA_PACK,
        "--json",
        "--policy-config",
        str(bad),
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "offline.gate", *argv], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == EXIT_PACK_FAILED
    assert proc.stdout == ""
    assert "per-rule.rules: unknown key 'nope'" in proc.stderr


@pytest.mark.protocol
def test_plan_order_is_the_same_on_every_run() -> None:
    orders = {
        tuple(
            r["urn"]
            for r in _document(run_gate("--program", str(REPO), "--stack", "prod", "--json").out)["resources"]
        )
        for _ in range(3)
    }
    assert len(orders) == 1
