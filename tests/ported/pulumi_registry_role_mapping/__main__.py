"""Port: the Pulumi Registry example for aws.cognito.IdentityPoolRoleAttachment
(https://www.pulumi.com/registry/packages/aws/api-docs/cognito/identitypoolroleattachment/): an identity
pool with a Facebook login provider and no guests, an authenticated role whose trust is interpolated from
the pool's id (aud, amr authenticated), a role policy for mobileanalytics/cognito-sync on "*", and a
Rules role mapping (claim isAdmin = paid -> the authenticated role). No S3 at all: the pack must stay
silent apart from what preview cannot know. A negative control among the ports.
"""

import json

import pulumi_aws as aws

main_identity_pool = aws.cognito.IdentityPool(
    "mainIdentityPool",
    identity_pool_name="identity pool",
    allow_unauthenticated_identities=False,
    supported_login_providers={"graph.facebook.com": "7346241598935555"},
)
authenticated_role = aws.iam.Role(
    "authenticatedRole",
    assume_role_policy=main_identity_pool.id.apply(
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
    ),
)
aws.iam.RolePolicy(
    "authenticatedRolePolicy",
    role=authenticated_role.id,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["mobileanalytics:PutEvents", "cognito-sync:*", "cognito-identity:*"],
                    "Resource": ["*"],
                }
            ],
        }
    ),
)
aws.cognito.IdentityPoolRoleAttachment(
    "mainIdentityPoolRoleAttachment",
    identity_pool_id=main_identity_pool.id,
    role_mappings=[
        aws.cognito.IdentityPoolRoleAttachmentRoleMappingArgs(
            identity_provider="graph.facebook.com",
            ambiguous_role_resolution="AuthenticatedRole",
            type="Rules",
            mapping_rules=[
                aws.cognito.IdentityPoolRoleAttachmentRoleMappingMappingRuleArgs(
                    claim="isAdmin", match_type="Equals", role_arn=authenticated_role.arn, value="paid"
                )
            ],
        )
    ],
    roles={"authenticated": authenticated_role.arn},
)
