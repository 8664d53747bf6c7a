"""Port: sst/guide, _chapters/configure-cognito-identity-pool-in-serverless.md (the Serverless Framework
version of the notes app): CognitoIdentityPool without guests, CognitoIdentityPoolRoles attaching
CognitoAuthRole, whose trust pins aud (Ref CognitoIdentityPool) and amr authenticated, and whose inline
`Policies` entry "CognitoAuthorizedPolicy" allows mobileanalytics/cognito-sync/cognito-identity on "*",
execute-api:Invoke on the API, and s3:* on
`<AttachmentsBucket ARN>/private/${cognito-identity.amazonaws.com:sub}/*`.

The inline policy becomes the Role's `inline_policies`, built with Output.all/apply from the bucket's ARN
(Fn::GetAtt), the region and account (Ref AWS::Region / AWS::AccountId) and the API's id; the API is a
stand-in aws.apigateway.RestApi. Faithful to the source: no bucket policy.
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool(
    "CognitoUserPool", username_attributes=["email"], auto_verified_attributes=["email"]
)
client = aws.cognito.UserPoolClient("CognitoUserPoolClient", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "CognitoIdentityPool",
    identity_pool_name=f"{pulumi.get_stack()}IdentityPool",
    allow_unauthenticated_identities=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint
        )
    ],
)
attachments = aws.s3.Bucket("AttachmentsBucket")
api = aws.apigateway.RestApi("ApiGatewayRestApi")
region = aws.get_region().region
account = aws.get_caller_identity().account_id


def authorized_policy(bucket_arn: str, api_id: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"],
                    "Resource": "*",
                },
                {
                    "Effect": "Allow",
                    "Action": ["execute-api:Invoke"],
                    "Resource": f"arn:aws:execute-api:{region}:{account}:{api_id}/*",
                },
                {"Effect": "Allow", "Action": ["s3:*"], "Resource": [f"{bucket_arn}/private/{SUB}/*"]},
            ],
        }
    )


auth_role = aws.iam.Role(
    "CognitoAuthRole",
    path="/",
    assume_role_policy=identity_pool.id.apply(
        lambda pool_id: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": ["sts:AssumeRoleWithWebIdentity"],
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                        },
                    }
                ],
            }
        )
    ),
    inline_policies=[
        aws.iam.RoleInlinePolicyArgs(
            name="CognitoAuthorizedPolicy",
            policy=pulumi.Output.all(attachments.arn, api.id).apply(lambda a: authorized_policy(*a)),
        )
    ],
)
aws.cognito.IdentityPoolRoleAttachment(
    "CognitoIdentityPoolRoles", identity_pool_id=identity_pool.id, roles={"authenticated": auth_role.arn}
)
