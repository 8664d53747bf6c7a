"""A tiny program for the mock runner's own tests: a bucket, a role and a policy built from both."""

import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
account = aws.get_caller_identity().account_id
region = aws.get_region().region
bucket = aws.s3.Bucket("files", tags={"owner": pulumi.Output.secret("team-a")})
role = aws.iam.Role("reader", path="/app/", assume_role_policy=json.dumps({"Version": "2012-10-17"}))
policy = pulumi.Output.all(bucket.bucket, bucket.arn).apply(
    lambda args: json.dumps({"byName": f"arn:aws:s3:::{args[0]}", "byArn": args[1]})
)
aws.iam.RolePolicy("reader-s3", role=role.name, policy=policy)
aws.s3.BucketPolicy("files", bucket=bucket.bucket, policy=policy, opts=pulumi.ResourceOptions(protect=True))
pulumi.export("greeting", config.get("greeting"))
pulumi.export("tags", config.get_object("tags"))
pulumi.export("account", account)
pulumi.export("region", region)
pulumi.export("bucket", bucket.bucket)
pulumi.export("bucketArn", bucket.arn)
pulumi.export("roleArn", role.arn)
pulumi.export("token", pulumi.Output.secret("s3cr3t"))
