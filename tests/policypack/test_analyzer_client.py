"""offline/analyzer.py: conversions to the engine's protobuf shapes, the CLI's config resolution, and
the subprocess lifecycle (always killed, clear errors when a pack cannot start)."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf import json_format

from offline.analyzer import (
    AnalyzerError,
    AnalyzerInfo,
    PolicyInfo,
    analyze_request,
    analyzer_resource,
    is_preview_skip,
    launch,
    resolve_policy_config,
    to_struct,
)
from offline.model import SECRET_SIG, SECRET_SIG_KEY, UNKNOWN, Diagnostic, ResourceRecord, secret

ROOT = Path(__file__).resolve().parents[2]


def test_wire_values_go_into_the_struct_unchanged():
    s = to_struct({"a": UNKNOWN, "b": secret("pw"), "c": [1, (2, 3)], "d": None, "e": {"x": True}})
    assert json_format.MessageToDict(s) == {
        "a": UNKNOWN, "b": {SECRET_SIG_KEY: SECRET_SIG, "value": "pw"}, "c": [1.0, [2.0, 3.0]], "d": None,
        "e": {"x": True},
    }  # fmt: skip


def test_stack_resource_carries_outputs_parent_and_dependencies():
    r = ResourceRecord(
        urn="urn:a", type="t:m:R", name="a", parent="urn:p", inputs={"i": 1}, outputs={"o": UNKNOWN},
        dependencies=["urn:b"], property_dependencies={"o": ["urn:b"]}, protect=True,
    )  # fmt: skip
    m = analyzer_resource(r)
    assert (m.urn, m.type, m.name, m.parent, list(m.dependencies)) == (
        "urn:a",
        "t:m:R",
        "a",
        "urn:p",
        ["urn:b"],
    )
    assert list(m.propertyDependencies["o"].urns) == ["urn:b"]
    assert json_format.MessageToDict(m.properties) == {"o": UNKNOWN}
    assert m.options.protect and m.options.parent == "urn:p"
    assert json_format.MessageToDict(analyze_request(r).properties) == {"i": 1.0}  # Analyze sends inputs


def info() -> AnalyzerInfo:
    schema = {"exemptions": {"type": "array", "default": []}, "n": {"type": "integer"}}
    return AnalyzerInfo(
        "p",
        "1",
        "",
        (PolicyInfo("a", "d", "mandatory", "stack", schema), PolicyInfo("b", "d", "advisory", "resource")),
    )


def test_config_resolution_fills_defaults_and_levels():
    assert resolve_policy_config(info(), None) == {
        "a": ("mandatory", {"exemptions": []}),
        "b": ("advisory", {}),
    }
    assert resolve_policy_config(info(), {"all": "disabled", "a": {"n": 3}}) == {
        "a": ("disabled", {"exemptions": [], "n": 3}), "b": ("disabled", {}),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("config", "message"),
    [({"c": "advisory"}, "policy config: no policy 'c' in pack 'p'; policies: 'a', 'b'"),
     ({"a": "loud"}, "policy config: a: enforcement level 'loud' is not one of advisory, mandatory"),
     ({"a": 3}, "policy config: a: a number is not allowed; give a level (advisory"),
     ({"a": {"m": 1}}, "a: unknown key 'm'; allowed: exemptions, n"),
     ({"a": {"n": "3"}}, "a.n: a string is not allowed; expected integer"),
     ({"b": {"n": 3}}, "b: unknown key 'n'; allowed: no keys")],
)  # fmt: skip
def test_config_errors_name_key_value_and_allowed(config, message):
    with pytest.raises(AnalyzerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_policy_config(info(), config)


def test_preview_skip_detection():
    skip = Diagnostic(
        "x", "advisory", "can't run policy 'x' from policy pack 'p@v1' during preview: string value"
    )
    assert is_preview_skip(skip) and not is_preview_skip(Diagnostic("x", "advisory", "fine"))


def test_not_a_pack_dir(tmp_path):
    with pytest.raises(AnalyzerError, match=r"has no __main__\.py"), launch(tmp_path):
        pass


def test_a_pack_that_fails_to_start_reports_its_stderr(tmp_path):
    (tmp_path / "__main__.py").write_text("raise SystemExit('boom: bad pack')\n")
    with pytest.raises(AnalyzerError, match=r"boom: bad pack"), launch(tmp_path, startup_timeout=60):
        pass


@pytest.mark.protocol
def test_the_subprocess_is_always_killed():
    with pytest.raises(RuntimeError, match="inside"), launch(ROOT / "bench" / "noop_pack") as client:
        process = client.process
        assert process.poll() is None
        raise RuntimeError("inside")
    assert process.poll() is not None


def test_resource_diagnostics_default_to_the_analyzed_resource_as_the_engine_does() -> None:
    from pulumi.runtime.proto import analyzer_pb2

    from offline.analyzer import to_diagnostic

    unnamed = analyzer_pb2.AnalyzeDiagnostic(policyName="p", message="m")
    named = analyzer_pb2.AnalyzeDiagnostic(policyName="p", message="m", urn="urn:other")
    assert to_diagnostic(unnamed, default_urn="urn:mine").urn == "urn:mine"
    assert to_diagnostic(named, default_urn="urn:mine").urn == "urn:other"
    assert to_diagnostic(unnamed).urn == ""
