"""Customer-managed keys whose policies are built with aws.iam.get_policy_document_output."""
import pulumi
import pulumi_aws as aws

_LOGS_ACTIONS = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]


def root_statement(account_id) -> aws.iam.GetPolicyDocumentStatementArgs:
    return aws.iam.GetPolicyDocumentStatementArgs(
        sid="EnableRootAccount", actions=["kms:*"], resources=["*"],
        principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
            type="AWS", identifiers=[pulumi.Output.concat("arn:aws:iam::", account_id, ":root")])])


def logs_key(name: str, region: str, account_id, *, regional_principal: bool = True) -> aws.kms.Key:
    """A key CloudWatch Logs may use, restricted to this account's log groups by encryption context."""
    service = f"logs.{region}.amazonaws.com" if regional_principal else "logs.amazonaws.com"
    document = aws.iam.get_policy_document_output(statements=[
        root_statement(account_id),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudWatchLogs", actions=_LOGS_ACTIONS, resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=[service])],
            conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                test="ArnLike", variable="kms:EncryptionContext:aws:logs:arn",
                values=[pulumi.Output.concat("arn:aws:logs:", region, ":", account_id, ":log-group:*")])]),
    ])
    return aws.kms.Key(name, description=f"{name}: CloudWatch Logs", enable_key_rotation=True,
                       deletion_window_in_days=30, policy=document.json)


def trail_key(name: str, region: str, account_id) -> aws.kms.Key:
    document = aws.iam.get_policy_document_output(statements=[
        root_statement(account_id),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AllowCloudTrailEncrypt", actions=["kms:GenerateDataKey*", "kms:DescribeKey"], resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                type="Service", identifiers=["cloudtrail.amazonaws.com"])],
            conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                test="StringLike", variable="kms:EncryptionContext:aws:cloudtrail:arn",
                values=[pulumi.Output.concat("arn:aws:cloudtrail:*:", account_id, ":trail/*")])]),
    ])
    return aws.kms.Key(name, description="CloudTrail log files", enable_key_rotation=True, policy=document.json)
