"""cognito-s3-advisories (stack, ADVISORY): per-identity scope, bucket hardening, and what preview
could not verify yet."""

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, Severity, StackValidationPolicy

from ..config import (
    EXEMPTIONS_SCHEMA,
    SHARED_PREFIXES_SCHEMA,
    advise_rules_schema,
    disabled_rules_schema,
    strings,
)
from ..findings import ADVISORY_RULES, MANDATORY_RULES, refine_scope
from ._report import report_findings

DESCRIPTION = (
    "Advice for Cognito file storage: object access of Cognito roles is scoped to each identity's folder by "
    "${cognito-identity.amazonaws.com:sub} (per-identity-scope); buckets they reach have Block "
    "Public Access, "
    "a TLS-only Deny, explicit encryption and BucketOwnerEnforced (bucket-hardening); and anything that "
    "cognito-bucket-access could not verify at preview because a document is not known yet is named "
    "precisely, so that nothing is skipped silently (unverified-at-preview)."
)


def _validate(args, report_violation) -> None:
    report_findings(
        args,
        report_violation,
        ADVISORY_RULES,
        refine=lambda f, config: refine_scope(f, strings(config, "sharedPrefixes")),
        borrowable=MANDATORY_RULES,
    )


cognito_s3_advisories = StackValidationPolicy(
    name="cognito-s3-advisories",
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "exemptions": EXEMPTIONS_SCHEMA,
            "disabledRules": disabled_rules_schema(ADVISORY_RULES),
            "sharedPrefixes": SHARED_PREFIXES_SCHEMA,
            "adviseRules": advise_rules_schema(MANDATORY_RULES),
        }
    ),
    tags=["cognito", "s3", "hardening", "preview"],
)
