"""cognito-s3-guard: every bucket a Cognito role reaches has a bucket policy that grants it, no wider.

Modules: ``documents`` (pure IAM document logic), ``graph`` (resources -> roles, routes, buckets),
``reach`` (what a role reaches, what a bucket grants), ``findings`` (every rule, evaluated once per
request), ``policies`` (the thin SDK policies), ``config`` (typed config schemas and their reading).
"""

PACK_NAME = "cognito-s3-guard"
