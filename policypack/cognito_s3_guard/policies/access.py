"""cognito-bucket-access (stack, MANDATORY): granting bucket policy, no widening, trust, "
"readable documents."""

from pulumi_policy import EnforcementLevel, PolicyConfigSchema, Severity, StackValidationPolicy

from ..config import EXEMPTIONS_SCHEMA, disabled_rules_schema
from ..findings import MANDATORY_RULES
from ._report import report_findings

DESCRIPTION = (
    "Every S3 bucket that a Cognito identity-pool role can reach has a bucket policy that grants the role "
    "exactly its own scope (granting-bucket-policy), never wider (no-widening: in one account "
    "the wider layer "
    "decides, so a users/* grant lets every user read and delete every other user's files); every Cognito "
    "role's trust policy pins the identity pool (aud) and the identity kind (amr) (cognito-role-trust); and "
    "every policy document involved can be read (readable-documents). Checked at preview, from the graph."
)


def _validate(args, report_violation) -> None:
    report_findings(args, report_violation, MANDATORY_RULES)


cognito_bucket_access = StackValidationPolicy(
    name="cognito-bucket-access",
    description=DESCRIPTION,
    validate=_validate,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.CRITICAL,
    config_schema=PolicyConfigSchema(
        properties={"exemptions": EXEMPTIONS_SCHEMA, "disabledRules": disabled_rules_schema(MANDATORY_RULES)}
    ),
    tags=["cognito", "s3", "iam", "isolation"],
    remediation_steps=(
        "Give each bucket that a Cognito role reaches a BucketPolicy whose Allow statements "
        "name the role ARN "
        "and mirror the role's own statements exactly: objects under "
        "users/${cognito-identity.amazonaws.com:sub}/* "
        "and s3:ListBucket with an s3:prefix condition on that folder. Trust the role to "
        "cognito-identity.amazonaws.com with StringEquals aud = <identity pool id> and "
        "ForAnyValue:StringLike amr = authenticated."
    ),
)
