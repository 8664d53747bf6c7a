"""cognito-s3-guard: every bucket a Cognito role reaches has a bucket policy that grants it, no wider.

Modules: ``documents`` (pure IAM document logic), ``conditions`` (the condition-operator table),
``principals`` (does a statement apply to a role), ``graph/`` (one adapter per resource type -> roles,
routes, buckets), ``reach`` (what a role reaches, what a bucket grants), ``rules/`` (the registry: one
module per rule), ``findings`` (the Finding value), ``render`` (findings to text, the only prose),
``analysis`` (one analysis per request), ``config`` (schemas from the registry, validating reader),
``dispatch`` (routes each finding to the stack policy at its level), ``policies`` (the SDK policies,
from the registry).
"""

PACK_NAME = "cognito-s3-guard"
