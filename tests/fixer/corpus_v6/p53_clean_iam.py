import json

import pulumi
import pulumi_aws as aws

readers = ["analyst", "auditor"]
policy = aws.iam.Policy("phi-read", policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::phi-docs/*"}],
}))
for reader in readers:
    role = aws.iam.Role(f"{reader}-role", assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
                       "Action": "sts:AssumeRole", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}],
    }))
    aws.iam.RolePolicyAttachment(f"{reader}-phi-read", role=role.name, policy_arn=policy.arn)
