"""Issue 10, mistake (b) (broken): a bucket policy that mirrors the authenticated and guest roles but
forgets the user-pool group's role, whose own RolePolicy reaches the bucket.

The group role is handed out through the user-pool group (aws.cognito.UserGroup role_arn) and a Token
role mapping, the way Amplify Gen 1 wires group roles. Every document is built with Output.all/apply
from ARNs unknown at a first preview; the roles are autonamed.
"""

import json

import pulumi
import pulumi_aws as aws

GUESTS = True
GRANT_GROUP_ROLE = False

SUB = "${cognito-identity.amazonaws.com:sub}"

user_pool = aws.cognito.UserPool("users")
client = aws.cognito.UserPoolClient("web", user_pool_id=user_pool.id, generate_secret=False)
pool = aws.cognito.IdentityPool(
    "identities",
    identity_pool_name="files",
    allow_unauthenticated_identities=GUESTS,
    allow_classic_flow=False,
    cognito_identity_providers=[
        aws.cognito.IdentityPoolCognitoIdentityProviderArgs(
            client_id=client.id, provider_name=user_pool.endpoint, server_side_token_check=True
        )
    ],
)


def cognito_trust(kind: str, pool_id: pulumi.Output[str]) -> pulumi.Output[str]:
    return pool_id.apply(
        lambda aud: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                        "Action": "sts:AssumeRoleWithWebIdentity",
                        "Condition": {
                            "StringEquals": {"cognito-identity.amazonaws.com:aud": aud},
                            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": kind},
                        },
                    }
                ],
            }
        )
    )


def doc(statements: list[dict]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def tls_only(arn: str) -> dict:
    return {
        "Sid": "TlsOnly",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def own_folder(arn: str) -> list[dict]:
    return [
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": f"{arn}/users/{SUB}/*",
        },
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": arn,
            "Condition": {"StringLike": {"s3:prefix": [f"users/{SUB}/", f"users/{SUB}/*"]}},
        },
    ]


def as_principal(arn: str, statements: list[dict]) -> list[dict]:
    return [{**s, "Principal": {"AWS": arn}} for s in statements]


bucket = aws.s3.Bucket("files")
aws.s3.BucketPublicAccessBlock(
    "files-pab",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketOwnershipControls(
    "files-ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "files-sse",
    bucket=bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)

auth = aws.iam.Role("authenticated", assume_role_policy=cognito_trust("authenticated", pool.id))
guest = aws.iam.Role("guest", assume_role_policy=cognito_trust("unauthenticated", pool.id))
editors = aws.iam.Role("editors", assume_role_policy=cognito_trust("authenticated", pool.id))
aws.cognito.UserGroup("editors-group", name="editors", user_pool_id=user_pool.id, role_arn=editors.arn)
aws.cognito.IdentityPoolRoleAttachment(
    "roles",
    identity_pool_id=pool.id,
    roles={"authenticated": auth.arn, "unauthenticated": guest.arn},
    role_mappings=[
        aws.cognito.IdentityPoolRoleAttachmentRoleMappingArgs(
            identity_provider=pulumi.Output.concat(user_pool.endpoint, ":", client.id),
            type="Token",
            ambiguous_role_resolution="AuthenticatedRole",
        )
    ],
)


def public_read(arn: str) -> list[dict]:
    return [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/public/*"}]


def editors_statements(arn: str) -> list[dict]:
    return [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{arn}/public/*"}]


aws.iam.RolePolicy("authenticated-files", role=auth.id, policy=bucket.arn.apply(lambda a: doc(own_folder(a))))
aws.iam.RolePolicy("guest-public", role=guest.id, policy=bucket.arn.apply(lambda a: doc(public_read(a))))
aws.iam.RolePolicy(
    "editors-public", role=editors.id, policy=bucket.arn.apply(lambda a: doc(editors_statements(a)))
)


def bucket_policy(arn: str, auth_arn: str, guest_arn: str, editors_arn: str | None = None) -> str:
    statements = [
        tls_only(arn),
        *as_principal(auth_arn, own_folder(arn)),
        *as_principal(guest_arn, public_read(arn)),
    ]
    if editors_arn is not None:
        statements += as_principal(editors_arn, editors_statements(arn))
    return doc(statements)


if GRANT_GROUP_ROLE:
    document = pulumi.Output.all(bucket.arn, auth.arn, guest.arn, editors.arn).apply(
        lambda a: bucket_policy(*a)
    )
else:
    document = pulumi.Output.all(bucket.arn, auth.arn, guest.arn).apply(lambda a: bucket_policy(*a))
aws.s3.BucketPolicy("files-policy", bucket=bucket.id, policy=document)
