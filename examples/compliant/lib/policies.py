"""IAM and KMS policy documents, as plain Python structures.

Functions that need the account or the region take plain strings and are called inside an
`Output.apply`; functions that only place ARNs return structures holding Outputs, which the caller
serialises with `pulumi.Output.json_dumps` (never `json.dumps`, which cannot see inside an Output).
"""

from __future__ import annotations

from typing import Any, Sequence

import pulumi

PolicyDocument = dict[str, Any]


def kms_key_policy(account_id: str, region: str) -> PolicyDocument:
    """Key policy for the stack's PHI key.

    The account root statement delegates access to IAM (RDS, Secrets Manager, ElastiCache, Kinesis
    and S3 then use the key through the callers' IAM permissions). CloudWatch Logs is a service
    principal that needs its own statement: without it, a log group that names this key fails to
    create (seeds 001 and 004).
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EnableIamPolicies",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Sid": "AllowCloudWatchLogs",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                "Action": [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:{region}:{account_id}:log-group:*"
                    }
                },
            },
        ],
    }


def assume_role_policy(service: str) -> PolicyDocument:
    """Trust policy letting one AWS service assume a role."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": service},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def read_secrets_policy(
    secret_arns: Sequence[pulumi.Input[str]], key_arn: pulumi.Input[str]
) -> PolicyDocument:
    """What the ECS agent needs to inject `secrets` into a container: read the secret values and
    decrypt them with the customer-managed key (seed 001, item 9)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadTaskSecrets",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": list(secret_arns),
            },
            {
                "Sid": "DecryptTaskSecrets",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": [key_arn],
            },
        ],
    }


def stream_writer_policy(stream_arn: pulumi.Input[str], key_arn: pulumi.Input[str]) -> PolicyDocument:
    """What the application needs to publish audit events to the encrypted Kinesis stream."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PutAuditEvents",
                "Effect": "Allow",
                "Action": ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"],
                "Resource": [stream_arn],
            },
            {
                "Sid": "EncryptAuditEvents",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey"],
                "Resource": [key_arn],
            },
        ],
    }
