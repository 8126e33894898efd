import pulumi
import pulumi_aws as aws

identity = aws.get_caller_identity()
aws.kms.Key("p16-key", enable_key_rotation=True, deletion_window_in_days="14", policy={
    "Version": "2012-10-17",
    "Statement": [{"Sid": "Root", "Effect": "Allow",
                   "Principal": {"AWS": f"arn:aws:iam::{identity.account_id}:root"}, "Action": "kms:*", "Resource": "*"}],
})
