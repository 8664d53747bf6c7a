"""The pack's rules run in-process on a captured stack, as the SDK would hand it to the policies: each
resource's properties through the same wire conversion and unknown-checking proxy, property dependencies
as the stack's own resources. Fast; findings come back as data (:class:`Finding`), never parsed prose."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cognito_s3_guard.analysis import analyze
from cognito_s3_guard.config import read_config
from cognito_s3_guard.findings import MANDATORY, Finding
from cognito_s3_guard.graph import IDENTITY_POOL_TYPES, Node
from cognito_s3_guard.policies import SPECS, findings_of
from cognito_s3_guard.rules import rules_of
from google.protobuf import json_format
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import unknown_checking_proxy

from offline.analyzer import analyze_request, analyzer_resource
from offline.model import ResourceRecord, StackCapture


class SdkResource:
    """What the SDK hands a stack policy: deserialized, proxied props; dependencies as resources."""

    def __init__(self, record: ResourceRecord, present: set[str], inputs: bool = False) -> None:
        wire = analyze_request(record) if inputs else analyzer_resource(record)
        self.urn, self.resource_type, self.name = record.urn, record.type, record.name
        self.props = unknown_checking_proxy(
            deserialize_properties(json_format.MessageToDict(wire.properties))
        )
        self.property_dependencies = {
            k: [Node(u, "", "") for u in v if u in present] for k, v in record.property_dependencies.items()
        }
        self.dependencies = [Node(u, "", "") for u in record.dependencies if u in present]


def sdk_resources(records: Iterable[ResourceRecord], inputs: bool = False) -> list[SdkResource]:
    records = list(records)
    present = {r.urn for r in records}
    return [SdkResource(r, present, inputs) for r in records]


@dataclass
class Findings:
    """The findings of one judged stack, with helpers that keep assertions exact."""

    findings: list[Finding]

    def rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]

    def rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.level == MANDATORY]

    def __repr__(self) -> str:
        return "\n".join(f"{f.level} {f.rule} {f.kind} {f.resource} {f.grants}" for f in self.findings)


def _props(policy_config: Mapping[str, Any] | None, policy: str) -> dict[str, Any]:
    value = (policy_config or {}).get(policy)
    return {k: v for k, v in value.items() if k != "enforcementLevel"} if isinstance(value, Mapping) else {}


def check(capture: StackCapture, policy_config: Mapping[str, Any] | None = None) -> Findings:
    """Every rule's findings at the levels the policies' configs give them (config must be valid)."""
    analysis = analyze(sdk_resources(capture.resources))
    out: list[Finding] = []
    for spec in SPECS:
        config, problems = read_config(spec.name, _props(policy_config, spec.name))
        assert problems == [], problems
        if spec.kind == "stack":
            out.extend(findings_of(spec.name, analysis, config))
            continue
        for r in sdk_resources(capture.resources, inputs=True):
            if r.resource_type in IDENTITY_POOL_TYPES:
                node = Node(r.urn, r.resource_type, r.name, r.props)
                out.extend(f for rule in rules_of(spec.name) for f in rule.check(node, config.options))
    return Findings(out)


def grants(finding: Finding) -> set[tuple[str, str, tuple[str, ...] | None]]:
    """A finding's grants as (action, resource, s3:prefix values) facts."""
    return {(g.action, g.pattern, g.prefixes) for g in finding.grants}
