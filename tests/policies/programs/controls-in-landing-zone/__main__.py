"""A workload stack of an organisation whose landing zone (another stack, another account) owns the VPC flow
logs, the CloudTrail trail, the AWS Backup plans (tag-based selections) and Firewall Manager's WAF.

Nothing here creates those controls, so without `managedElsewhere` their rules report the VPC, the database,
the file system, the web ACL and the load balancer; with it they pass. The second VPC has a flow log of its
own that captures only rejected traffic: a present match is still checked.
"""
import pulumi_aws as aws

tags = {"backup": "daily"}  # the landing zone's backup selection matches this tag

vpc = aws.ec2.Vpc("workload-vpc", cidr_block="10.50.0.0/16", tags=tags)
partial = aws.ec2.Vpc("partner-vpc", cidr_block="10.60.0.0/16", tags=tags)
aws.ec2.FlowLog("partner-rejects", vpc_id=partial.id, traffic_type="REJECT",
                log_destination_type="s3", log_destination="arn:aws:s3:::org-flow-logs")

aws.rds.Instance(
    "records-db", engine="postgres", instance_class="db.t4g.medium", allocated_storage=20,
    username="dbadmin", manage_master_user_password=True, storage_encrypted=True, tags=tags,
)
aws.efs.FileSystem("scans", encrypted=True, tags=tags)
aws.wafv2.WebAcl(
    "workload-waf", scope="REGIONAL",
    default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
    visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name="workload-waf", sampled_requests_enabled=True),
)
