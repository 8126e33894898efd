import pulumi
import pulumi_aws as aws


class AccountBaseline(pulumi.ComponentResource):
    def __init__(self, name, account_id, opts=None):
        super().__init__("hipaa:org:AccountBaseline", name, None, opts)
        self.provider = aws.Provider(
            f"{name}-provider", region="us-east-1",
            assume_role=aws.ProviderAssumeRoleArgs(role_arn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole"),
            opts=pulumi.ResourceOptions(parent=self))
        child = pulumi.ResourceOptions(parent=self, provider=self.provider)
        aws.ebs.EncryptionByDefault(f"{name}-ebs-default", enabled=True, opts=child)
        aws.s3.AccountPublicAccessBlock(f"{name}-s3-pab", block_public_acls=True, block_public_policy=True,
                                        ignore_public_acls=True, restrict_public_buckets=True, opts=child)
        self.register_outputs({})


for name, account in {"clinical": "310000000001", "research": "310000000002"}.items():
    AccountBaseline(name, account)
