import json

import pulumi
import pulumi_aws as aws

role = aws.iam.Role("p01-role", assume_role_policy={
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
})
# The provider returns the policy as a JSON string: programs parse it.
pulumi.export("p01-version", role.assume_role_policy.apply(lambda text: json.loads(text)["Version"]))
