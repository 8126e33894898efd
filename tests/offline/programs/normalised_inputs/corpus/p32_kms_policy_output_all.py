import json

import pulumi
import pulumi_aws as aws

identity = aws.get_caller_identity_output()
region = aws.get_region_output()
policy = pulumi.Output.all(identity.account_id, region.name).apply(lambda args: {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{args[0]}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": f"logs.{args[1]}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"], "Resource": "*"},
    ],
})
key = aws.kms.Key("p32-key", enable_key_rotation=True, policy=policy.apply(json.dumps))
aws.kms.Alias("p32-alias", name="alias/p32", target_key_id=key.key_id)
