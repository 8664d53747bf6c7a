"""Fails as config ``how`` says: ``keyerror``, ``apply-error``, ``exit-0``, ``exit-3``, ``exit-text``,
``hang``.

``fine`` (the default) registers one bucket and exports its name.
"""

import sys
import time

import pulumi
import pulumi_aws as aws

how = pulumi.Config().get("how") or "fine"
settings = {"known": 1}

if how == "keyerror":
    print(settings["unknown"])
if how == "exit-text":
    sys.exit("the program gave up")
if how.startswith("exit-"):
    sys.exit(int(how.removeprefix("exit-")))
if how == "hang":
    while True:
        time.sleep(0.05)

bucket = aws.s3.Bucket("files")
if how == "apply-error":
    pulumi.export("broken", bucket.bucket.apply(lambda name: settings[name]))
pulumi.export("bucketName", bucket.bucket)
