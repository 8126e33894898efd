import pulumi
import pulumi_aws as aws

from lib.storage import EncryptedBucket

west = aws.Provider("west", region="us-west-2")
logs = EncryptedBucket("logs", opts=pulumi.ResourceOptions(providers={"aws": west}))
home = EncryptedBucket("home")
group = aws.cloudwatch.LogGroup("audit", name="/hipaa/audit", retention_in_days=365,
                                opts=pulumi.ResourceOptions(provider=west, depends_on=[logs]))
region = aws.get_region()
identity = aws.get_caller_identity()
pulumi.export("region", region.region)
pulumi.export("account", identity.account_id)
