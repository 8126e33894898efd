import pulumi_aws as aws

aws.lb.TargetGroup(
    "p25-tg",
    port="8443",
    protocol="HTTPS",
    vpc_id="vpc-0123456789abcdef0",
    target_type="ip",
    health_check={"path": "/health", "interval": "30", "healthy_threshold": "3", "matcher": 200, "enabled": "true"},
)
