"""A tiny policy pack for the gate's tests: a config schema shaped like contract 2, and misbehaviour.

- ``per-rule`` (mandatory stack policy): its config has ``rules`` (rule id -> level, closed),
  ``exemptions`` (array of strings) and ``behaviour`` (``fine``, ``hang`` or ``crash``). It reports one
  ``[bucket-named] ... / Fix: ...`` finding per bucket unless its rule is ``disabled``, formatted as
  contract 1 says; ``hang`` sleeps for an hour and ``crash`` raises, to test the gate's --timeout and
  a pack that crashes.
- ``plain-advice`` (advisory resource policy, no schema): a message with no ``[rule]`` tag, so the
  gate falls back to the policy name and its remediation steps.
"""

import time

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)

LEVELS = ["mandatory", "advisory", "disabled"]


def per_rule(args, report_violation):
    config = args.get_config()
    if config.get("behaviour") == "hang":
        time.sleep(3600)
    if config.get("behaviour") == "crash":
        raise RuntimeError("the schema pack crashed on purpose")
    level = (config.get("rules") or {}).get("bucket-named", "mandatory")
    if level == "disabled":
        return
    exempt = config.get("exemptions") or []
    for resource in args.resources:
        if resource.resource_type == "aws:s3/bucket:Bucket" and resource.name not in exempt:
            report_violation(f"[bucket-named] bucket {resource.name}\nFix: name it otherwise", resource.urn)


def plain_advice(args, report_violation):
    if args.resource_type == "aws:iam/role:Role":
        report_violation("roles deserve a second look")


PolicyPack(
    name="gate-schema-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(
            name="per-rule",
            description="Names every bucket.",
            validate=per_rule,
            config_schema=PolicyConfigSchema(
                properties={
                    "rules": {
                        "type": "object",
                        "properties": {"bucket-named": {"type": "string", "enum": LEVELS}},
                        "additionalProperties": False,
                    },
                    "exemptions": {"type": "array", "items": {"type": "string"}, "default": []},
                    "behaviour": {"type": "string", "enum": ["fine", "hang", "crash"], "default": "fine"},
                }
            ),
        ),
        ResourceValidationPolicy(
            name="plain-advice",
            description="Looks at roles.",
            validate=plain_advice,
            enforcement_level=EnforcementLevel.ADVISORY,
            remediation_steps="Read the role's trust policy.",
        ),
    ],
)
