"""Seeds 001 and 004: a log group encrypted with a customer-managed key whose policy does not admit
`logs.<region>.amazonaws.com`; CloudWatch Logs answers AccessDeniedException. The log group is
otherwise compliant (a key is set, retention is 365 days), so log-group-kms-key-allows-logs is the
only policy that may fire."""

import json

import pulumi_aws as aws

account_id = aws.get_caller_identity_output().account_id

audit_key = aws.kms.Key(
    "audit-key",
    description="Audit log encryption",
    enable_key_rotation=True,
    # The defect under test: only the account root is admitted, no CloudWatch Logs statement.
    policy=account_id.apply(
        lambda account: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "EnableIamPolicies",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )
    ),
)

aws.cloudwatch.LogGroup(
    "audit-logs",
    name="/healthcare/audit",
    kms_key_id=audit_key.arn,
    retention_in_days=365,
)
