import pulumi
import pulumi_aws as aws

security = aws.Provider("security-tooling", region="us-east-1",
                        assume_role=aws.ProviderAssumeRoleArgs(role_arn="arn:aws:iam::999988887777:role/sec",
                                                               external_id="hipaa-guard"))
hub = aws.securityhub.Account("hub", opts=pulumi.ResourceOptions(provider=security))
aws.securityhub.StandardsSubscription(
    "hipaa-standard",
    standards_arn="arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
    opts=pulumi.ResourceOptions(provider=security, depends_on=[hub]))
