"""Port: the SST guide (sst/guide, _chapters/configure-cognito-identity-pool-in-cdk.md, and its
CognitoAuthRole construct): an identity pool without guests, an authenticated role trusted by
cognito-identity.amazonaws.com with aud = identityPool.ref and amr authenticated, a statement for
mobileanalytics/cognito-sync/cognito-identity on "*", and `s3:*` on
`bucket.bucketArn + "/private/${cognito-identity.amazonaws.com:sub}/*"`.

As this product requires, a bucket policy mirrors the role's S3 statement for the role's ARN (the guide
has none). Documents are built with Output.all/apply from ARNs unknown at a first preview.
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool(
    "UserPool", auto_verified_attributes=["email"], username_attributes=["email"]
)
client = aws.cognito.UserPoolClient("UserPoolClient", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "IdentityPool",
    identity_pool_name="notes identity pool",
    allow_unauthenticated_identities=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint
        )
    ],
)
role = aws.iam.Role(
    "CognitoDefaultAuthenticatedRole",
    assume_role_policy=identity_pool.id.apply(
        lambda ref: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": ref},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                        },
                    }
                ],
            }
        )
    ),
)
aws.cognito.IdentityPoolRoleAttachment(
    "IdentityPoolRoleAttachment", identity_pool_id=identity_pool.id, roles={"authenticated": role.arn}
)
uploads = aws.s3.Bucket("Uploads")


def private_folder(bucket_arn: str) -> dict:
    return {"Effect": "Allow", "Action": ["s3:*"], "Resource": [f"{bucket_arn}/private/{SUB}/*"]}


aws.iam.RolePolicy(
    "CognitoDefaultAuthenticatedRolePolicy",
    role=role.id,
    policy=uploads.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"],
                        "Resource": ["*"],
                    },
                    private_folder(arn),
                ],
            }
        )
    ),
)
aws.s3.BucketPolicy(
    "UploadsPolicy",
    bucket=uploads.id,
    policy=pulumi.Output.all(uploads.arn, role.arn).apply(
        lambda a: json.dumps(
            {"Version": "2012-10-17", "Statement": [{**private_folder(a[0]), "Principal": {"AWS": a[1]}}]}
        )
    ),
)
