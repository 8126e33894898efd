"""Every value a finding could mention arrives as a secret; the preview must find the defects and show none
of the values (test_preview_secrets.py)."""
import pulumi
import pulumi_aws as aws

secret = pulumi.Output.secret
provider = aws.Provider("eu", region=secret("eu-west-3"))
opts = pulumi.ResourceOptions(provider=provider)

aws.rds.Instance(
    "exempt-db", engine="postgres", engine_version=secret("15.4"), instance_class="db.t3.medium",
    allocated_storage=20, username="dbadmin", password=secret("S3cr3t-PASSWORD-1"), storage_encrypted=True,
    backup_retention_period=30, multi_az=False,
    tags=secret({"hipaa-guard:exempt": "rds-multi-az: S3cr3t-TAG-reason until 2099-01-01"}), opts=opts)

vpc = aws.ec2.Vpc("vpc", cidr_block="10.77.0.0/16", opts=opts)
aws.ec2.Subnet("private-1", vpc_id=vpc.id, cidr_block=secret("10.77.1.0/24"), opts=opts)
aws.ec2.Subnet("private-2", vpc_id=vpc.id, cidr_block=secret("10.77.1.128/25"), opts=opts)

aws.ec2.SecurityGroup("db-sg", vpc_id=vpc.id, description="db", ingress=secret([
    {"protocol": "tcp", "from_port": 1433, "to_port": 1433, "cidr_blocks": ["0.0.0.0/0"]}]), opts=opts)

aws.lb.Listener(
    "https", load_balancer_arn="arn:aws:elasticloadbalancing:eu-west-3:210987654321:loadbalancer/app/a/1",
    port=443, protocol="HTTPS",
    certificate_arn=secret("arn:aws:acm:eu-west-3:123456789012:certificate/S3cr3t-CERT"),
    default_actions=[{"type": "fixed-response",
                      "fixed_response": {"content_type": "text/plain", "status_code": "200"}}], opts=opts)
