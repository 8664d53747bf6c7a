"""Port: zerotrustlabs/zelda, policy.tf (Terraform): an authenticated and an unauthenticated role with
literal names, trust heredocs interpolating `aws_cognito_identity_pool.identity_pool.id` (aud, and amr
authenticated/unauthenticated), inline policies granting s3:GetObject and s3:ListBucket on the bucket and
all its objects (the unauthenticated one with mobileanalytics/cognito-sync in the same statement), a
conditional Deny of unencrypted uploads for the authenticated role, and the roles attachment. Its bucket
policy is commented out in the source, so there is none here. The identity pool (not in policy.tf) is a
minimal one that admits guests, since the source attaches an unauthenticated role. Documents that
interpolate the bucket's ARN are built with apply (unknown at a first preview).
"""

import json

import pulumi
import pulumi_aws as aws

identity_pool = aws.cognito.IdentityPool(
    "identity_pool",
    identity_pool_name="zelda",
    allow_unauthenticated_identities=True,
    allow_classic_flow=False,
)


def trust(kind: str) -> pulumi.Output[str]:
    return identity_pool.id.apply(
        lambda pool_id: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": kind},
                        },
                    }
                ],
            }
        )
    )


authenticated_role = aws.iam.Role(
    "authenticated_role", name="zerotrustlabs_Cognito_auth_Role", assume_role_policy=trust("authenticated")
)
unauthenticated_role = aws.iam.Role(
    "unauthenticated_role",
    name="zerotrustlabs_Cognito_unauth_Role",
    max_session_duration=3600,
    assume_role_policy=trust("unauthenticated"),
)
bucket = aws.s3.Bucket("this")


def read_all(actions: list[str]) -> pulumi.Output[str]:
    return bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": actions, "Resource": [arn, f"{arn}/*"]}],
            }
        )
    )


aws.iam.RolePolicy(
    "authenticated_policy",
    name="zerotrustlabs_Cognito_auth_Policy-prod",
    role=authenticated_role.id,
    policy=read_all(["s3:GetObject", "s3:ListBucket"]),
)
aws.iam.RolePolicy(
    "unauthenticated_policy",
    name="zerotrustlabs_Cognito_unauth_Policy_prod",
    role=unauthenticated_role.id,
    policy=read_all(["mobileanalytics:PutEvents", "cognito-sync:*", "s3:GetObject", "s3:ListBucket"]),
)
aws.cognito.IdentityPoolRoleAttachment(
    "roles_attachment",
    identity_pool_id=identity_pool.id,
    roles={"authenticated": authenticated_role.arn, "unauthenticated": unauthenticated_role.arn},
)
aws.iam.RolePolicy(
    "s3_sse_policy",
    name="S3-server-side-encryption-policy",
    role=authenticated_role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Id": "PutObjectPolicy",
                "Statement": [
                    {
                        "Sid": "RestrictSSECObjectUploads",
                        "Effect": "Deny",
                        "Action": "s3:PutObject",
                        "Resource": f"{arn}/*",
                        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "AES256"}},
                    }
                ],
            }
        )
    ),
)
