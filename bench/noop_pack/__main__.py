"""A no-op pack with one empty stack policy: the benchmark's floor (the SDK's own cost per request).

NOOP_STACK_POLICIES (default 1) adds more empty stack policies, to measure what each one costs.
"""

import os

from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy


def _nothing(args, report_violation) -> None:
    return None


PolicyPack(
    name="noop",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        StackValidationPolicy(name=f"noop-{i}", description="Looks at nothing.", validate=_nothing)
        for i in range(int(os.environ.get("NOOP_STACK_POLICIES", "1")))
    ],
)
