"""readable-documents: every policy document involved parses; a malformed one is named."""

from __future__ import annotations

from ..findings import MANDATORY, Finding
from .base import Analysis, Rule, RuleConfig, subjects

ID = "readable-documents"
REMEDIATION = (
    "make it a JSON policy document with Statement entries that each have Effect, Action or NotAction, "
    "and Resource (or Principal for trust and bucket policies)."
)


def check(ctx: Analysis, config: RuleConfig) -> list[Finding]:
    return [
        Finding(
            ID,
            MANDATORY,
            "malformed",
            node.urn,
            REMEDIATION,
            problems=(problem,),
            subjects=subjects(node),
            what=f"{prop} document of {node.resource_type.split(':')[-1]} '{node.name}'",
        )
        for node, prop, problem in ctx.graph.malformed
    ]


RULE = Rule(
    id=ID,
    policy="cognito-bucket-access",
    level=MANDATORY,
    title="Every policy document involved can be read; a malformed one is named.",
    description=(
        'AWS rejects a malformed policy document at deployment (IAM User Guide, "IAM JSON policy '
        'grammar"), and a document this pack cannot read cannot be judged: passing it would pass '
        "blind, so it is reported instead."
    ),
    remediation=REMEDIATION,
    references=("https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",),
    check=check,
)
