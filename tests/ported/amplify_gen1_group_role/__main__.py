"""Port: Amplify Gen 1 (amplify-cli) storage access for a user-pool group ("Admins").

Source: aws-amplify/amplify-cli,
packages/amplify-category-storage/resources/cloudformation-templates/s3-cloudformation-template.json.ejs
(the `<group>GroupPolicy` resource: the group's actions on `arn:aws:s3:::<bucket>/*`, and s3:ListBucket on
the bucket with no prefix condition, attached to the role named `<UserPoolId>-<group>GroupRole`), with the
auth category's group role (trust pinned to the identity pool, amr authenticated), its UserGroup, and
the Token role mapping that lets a group member get the group's role. As in the template, the group policy
names its role by a name computed from the user pool's id, not from the Role resource. The authenticated
role keeps its private folder (S3AuthPrivatePolicy). Faithful to the source: no bucket policy.
"""

import json

import pulumi
import pulumi_aws as aws

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("UserPool")
client = aws.cognito.UserPoolClient("UserPoolClientWeb", user_pool_id=user_pool.id, generate_secret=False)
identity_pool = aws.cognito.IdentityPool(
    "IdentityPool",
    identity_pool_name="amplifyapp_identitypool",
    allow_unauthenticated_identities=False,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)


def trust() -> pulumi.Output[str]:
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
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
                        },
                    }
                ],
            }
        )
    )


group_role_name = user_pool.id.apply(lambda pool_id: f"{pool_id}-AdminsGroupRole")
auth_role = aws.iam.Role("AuthRole", assume_role_policy=trust())
admins_role = aws.iam.Role("AdminsGroupRole", name=group_role_name, assume_role_policy=trust())
aws.cognito.UserGroup(
    "AdminsGroup", name="Admins", user_pool_id=user_pool.id, role_arn=admins_role.arn, precedence=1
)
aws.cognito.IdentityPoolRoleAttachment(
    "IdentityPoolRoleMap",
    identity_pool_id=identity_pool.id,
    roles={"authenticated": auth_role.arn},
    role_mappings=[
        aws.cognito.IdentityPoolRoleAttachmentRoleMappingArgs(
            identity_provider=pulumi.Output.concat(user_pool.endpoint, ":", client.id),
            type="Token",
            ambiguous_role_resolution="AuthenticatedRole",
        )
    ],
)

bucket = aws.s3.Bucket("S3Bucket")
aws.iam.RolePolicy(
    "S3AuthPrivatePolicy",
    role=auth_role.id,
    policy=bucket.bucket.apply(
        lambda name: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"],
                        "Resource": [f"arn:aws:s3:::{name}/private/{SUB}/*"],
                    }
                ],
            }
        )
    ),
)
aws.iam.RolePolicy(
    "AdminsGroupPolicy",
    name="Admins-group-s3-policy",
    role=group_role_name,
    policy=bucket.bucket.apply(
        lambda name: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:DeleteObject"],
                        "Resource": [f"arn:aws:s3:::{name}/*"],
                    },
                    {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": [f"arn:aws:s3:::{name}"]},
                ],
            }
        )
    ),
)
