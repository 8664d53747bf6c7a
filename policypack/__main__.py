"""Builds the PolicyPack (which starts the analyzer server and prints its port) and nothing else.

Nothing may print to stdout before this: the first stdout line is the port handshake."""

from cognito_s3_guard import PACK_NAME
from cognito_s3_guard.policies import ALL_POLICIES
from pulumi_policy import PolicyPack

PolicyPack(
    name=PACK_NAME,
    policies=ALL_POLICIES,
    description=(
        "At preview, every S3 bucket that a Cognito identity-pool role can reach has a bucket "
        "policy that grants "
        "the role its own scope and no more, and every Cognito role's trust is pinned to its pool."
    ),
    display_name="Cognito + S3 per-user isolation guard",
    provider="aws",
    tags=["aws", "cognito", "s3", "iam"],
)
