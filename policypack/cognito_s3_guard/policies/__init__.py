"""The pack's policies, one module each. Stack policies are few on purpose: the SDK deserializes every
resource once per stack policy, so the graph rules share one mandatory and one advisory stack policy."""

from .access import cognito_bucket_access
from .advisories import cognito_s3_advisories
from .identity_pool import identity_pool_settings

ALL_POLICIES = [cognito_bucket_access, cognito_s3_advisories, identity_pool_settings]

__all__ = ["ALL_POLICIES", "cognito_bucket_access", "cognito_s3_advisories", "identity_pool_settings"]
