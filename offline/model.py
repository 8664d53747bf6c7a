"""The values that pass between the mock runner, the analyzer client and the gate.

Property values use Pulumi's own wire conventions, so that what we capture is exactly what the CLI
would hand a policy pack:
- an unknown value (a provider-computed output at preview) is the string ``UNKNOWN``;
- a secret is ``{SECRET_SIG_KEY: SECRET_SIG, "value": <plain value>}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
STACK_TYPE = "pulumi:pulumi:Stack"  # the root resource the engine registers first
# What the policy SDK says when a policy read an unknown value and gave up (pulumi_policy/policy.py).
PREVIEW_SKIP_MARKER = "can't run policy"


def secret(value: Any) -> dict[str, Any]:
    """Wrap a plain value the way the engine marks a secret on the wire."""
    return {SECRET_SIG_KEY: SECRET_SIG, "value": value}


@dataclass
class ResourceRecord:
    """One registered resource, as the engine would describe it to an analyzer."""

    urn: str
    type: str
    name: str
    custom: bool = True
    parent: str | None = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    protect: bool = False
    retain_on_delete: bool = False
    delete_before_replace: bool = False
    ignore_changes: list[str] = field(default_factory=list)
    provider: str | None = None


@dataclass
class StackCapture:
    """Everything a program registered in one run, in registration order."""

    project: str
    stack: str
    preview: bool
    resources: list[ResourceRecord] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    config: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # config key -> where it was set
    warnings: list[str] = field(default_factory=list)  # about the project/stack files; the run went on

    def by_type(self, type_token: str) -> list[ResourceRecord]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> ResourceRecord:
        found = self.by_type(type_token)
        if len(found) != 1:
            raise LookupError(f"expected exactly one {type_token}, found {len(found)}")
        return found[0]


@dataclass(frozen=True)
class Diagnostic:
    """One violation (or advisory) that a policy pack reported."""

    policy: str
    level: str  # "advisory" | "mandatory" | "remediate" | "disabled"
    message: str
    urn: str = ""
    pack: str = ""
    description: str = ""

    @property
    def mandatory(self) -> bool:
        return self.level == "mandatory"

    @property
    def preview_skip(self) -> bool:
        """The SDK's advisory for a policy that read an unknown value and gave up: it enforced nothing."""
        return PREVIEW_SKIP_MARKER in self.message
