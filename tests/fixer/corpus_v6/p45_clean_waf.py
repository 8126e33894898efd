import pulumi
import pulumi_aws as aws

acl = aws.wafv2.WebAcl(
    "portal-waf", scope="REGIONAL",
    default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
    visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(cloudwatch_metrics_enabled=True,
                                                          metric_name="portal-waf", sampled_requests_enabled=True),
    rules=[aws.wafv2.WebAclRuleArgs(
        name="common", priority=1,
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                name="AWSManagedRulesCommonRuleSet", vendor_name="AWS")),
        visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(cloudwatch_metrics_enabled=True,
                                                                  metric_name="common", sampled_requests_enabled=True))])
pulumi.export("waf", acl.arn)
