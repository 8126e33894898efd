import pulumi
import pulumi_aws as aws

accounts = {"prod": "111111111111", "staging": "222222222222"}
providers = {}
for env, account in accounts.items():
    providers[env] = aws.Provider(
        f"{env}-provider",
        region="us-east-1",
        assume_role=aws.ProviderAssumeRoleArgs(role_arn=f"arn:aws:iam::{account}:role/deployer",
                                               session_name=f"pulumi-{env}"),
        default_tags=aws.ProviderDefaultTagsArgs(tags={"env": env, "hipaa": "true"}),
    )
    aws.guardduty.Detector(f"{env}-guardduty", enable=True,
                           opts=pulumi.ResourceOptions(provider=providers[env]))
pulumi.export("envs", list(accounts))
