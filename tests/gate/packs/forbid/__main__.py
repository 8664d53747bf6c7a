"""A tiny policy pack for the gate's own tests (not the product's pack).

- ``forbid-type`` (mandatory): flags every resource whose type is in the configured ``types``
  (default: none), so a test chooses, through ``--policy-config``, what must block.
- ``count-resources`` (advisory stack policy): one advisory naming how many resources it saw.
"""

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyPack,
    ResourceValidationPolicy,
    StackValidationPolicy,
)


def forbid_type(args, report_violation):
    if args.resource_type in (args.get_config().get("types") or []):
        report_violation(f"{args.resource_type} is forbidden by this pack's config")


def count_resources(args, report_violation):
    report_violation(f"saw {len(args.resources)} resources")


PolicyPack(
    name="gate-test-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="forbid-type",
            description="Forbids the resource types named in config.",
            validate=forbid_type,
            config_schema=PolicyConfigSchema(
                properties={"types": {"type": "array", "items": {"type": "string"}, "default": []}}
            ),
        ),
        StackValidationPolicy(
            name="count-resources",
            description="Counts the stack's resources.",
            validate=count_resources,
            enforcement_level=EnforcementLevel.ADVISORY,
        ),
    ],
)
