import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc("core", cidr_block="10.0.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
services = ["s3", "dynamodb"]
endpoints = [aws.ec2.VpcEndpoint(f"core-{svc}", vpc_id=vpc.id, service_name=f"com.amazonaws.us-east-1.{svc}")
             for svc in services]
flow_logs_group = aws.cloudwatch.LogGroup("core-flow-logs", retention_in_days=365)
pulumi.export("endpoints", [e.id for e in endpoints])
