"""Calls a provider function the offline mocks do not answer."""

import pulumi_aws as aws

aws.ec2.get_vpc(default=True)
