"""Customer-managed key for the EHR logs, database and secrets."""
import pulumi
import pulumi_aws as aws


def ehr_key(name: str, region: str, account_id: str, provider: aws.Provider) -> aws.kms.Key:
    document = aws.iam.get_policy_document(statements=[
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AccountAdmin",
            actions=["kms:*"],
            resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                type="AWS", identifiers=[f"arn:aws:iam::{account_id}:root"])],
        ),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="ServiceUse",
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            # one principal block per service, as the Terraform docs show
            principals=[
                aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                identifiers=[f"logs.{region}.amazonaws.com"]),
                aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                identifiers=["secretsmanager.amazonaws.com"]),
            ],
        ),
    ])
    return aws.kms.Key(name, description="EHR records data", enable_key_rotation=True,
                       deletion_window_in_days=30, policy=document.json,
                       opts=pulumi.ResourceOptions(provider=provider))
