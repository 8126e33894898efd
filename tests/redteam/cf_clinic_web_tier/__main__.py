"""Clinic scheduling web tier in ap-southeast-2: public ALB (WAF), a classic ELB kept for the kiosk fleet,
two auto scaling groups from launch templates, a MySQL scheduling database, and the IAM around them."""
import json

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
domain = cfg.require("domain")
log_bucket = cfg.require("logArchiveBucket")  # platform log archive (ALB/ELB delivery policy set there)
ami = cfg.require("amiId")
tags = {"app": "clinic-scheduling", "env": pulumi.get_stack(), "hipaa": "in-scope"}
azs = ["ap-southeast-2a", "ap-southeast-2b"]

key = aws.kms.Key("clinic-key", enable_key_rotation=True, description="clinic web tier volumes and database")

# ---------------------------------------------------------------- network
vpc = aws.ec2.Vpc("clinic-vpc", cidr_block="10.80.0.0/16", enable_dns_support=True, enable_dns_hostnames=True,
                  tags={**tags, "Name": "clinic"})
aws.ec2.DefaultSecurityGroup("clinic-default-sg", vpc_id=vpc.id)
aws.ec2.FlowLog("clinic-flow", vpc_id=vpc.id, traffic_type="REJECT", log_destination_type="s3",
                log_destination=f"arn:aws:s3:::{log_bucket}/flow-logs/")
igw = aws.ec2.InternetGateway("clinic-igw", vpc_id=vpc.id, tags=tags)
public_rt = aws.ec2.RouteTable("clinic-public-rt", vpc_id=vpc.id,
                               routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}], tags=tags)
public, private = [], []
for i, az in enumerate(azs):
    pub = aws.ec2.Subnet(f"clinic-public-{i}", vpc_id=vpc.id, cidr_block=f"10.80.{i}.0/24", availability_zone=az,
                         map_public_ip_on_launch=False, tags={**tags, "tier": "public"})
    aws.ec2.RouteTableAssociation(f"clinic-public-{i}-rta", subnet_id=pub.id, route_table_id=public_rt.id)
    public.append(pub)
    private.append(aws.ec2.Subnet(f"clinic-private-{i}", vpc_id=vpc.id, cidr_block=f"10.80.{10 + i}.0/24",
                                  availability_zone=az, tags={**tags, "tier": "private"}))

lb_sg = aws.ec2.SecurityGroup("clinic-lb-sg", vpc_id=vpc.id, description="HTTPS from the internet",
                              ingress=[{"protocol": "tcp", "from_port": p, "to_port": p, "cidr_blocks": ["0.0.0.0/0"]}
                                       for p in (443, 80)],
                              egress=[{"protocol": "tcp", "from_port": 8443, "to_port": 8443,
                                       "cidr_blocks": ["10.80.0.0/16"]}])
app_sg = aws.ec2.SecurityGroup("clinic-app-sg", vpc_id=vpc.id, description="app instances")
aws.vpc.SecurityGroupIngressRule("clinic-app-from-lb", security_group_id=app_sg.id, ip_protocol="tcp",
                                 from_port=8443, to_port=8443, referenced_security_group_id=lb_sg.id)

cert = aws.acm.Certificate("clinic-cert", domain_name=domain, validation_method="DNS", tags=tags)

# ---------------------------------------------------------------- IAM
app_role = aws.iam.Role("clinic-app-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "ec2.amazonaws.com"}}]}),
    permissions_boundary=f"arn:aws:iam::aws:policy/PowerUserAccess")
aws.iam.RolePolicy("clinic-app-ssm-read", role=app_role.id, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameter", "ssm:GetParameters"],
                                            "Resource": "arn:aws:ssm:ap-southeast-2:*:parameter/clinic/*"}]}))
profile = aws.iam.InstanceProfile("clinic-app-profile", role=app_role.name)

# Break-glass policy for the on-call group.
# defect: iam-policy-no-statements-with-admin-access (Allow * on * for "emergencies")
# defect: iam-customer-policy-blocked-kms-actions (Action * includes kms:Decrypt on every key)
break_glass = aws.iam.Policy("clinic-break-glass", policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Sid": "Everything", "Effect": "Allow", "Action": ["*"], "Resource": "*"}]}))
oncall = aws.iam.Group("clinic-oncall")
aws.iam.GroupPolicyAttachment("clinic-oncall-break-glass", group=oncall.name, policy_arn=break_glass.arn)
kiosk_user = aws.iam.User("clinic-kiosk-uploader", tags=tags)
# defect: iam-user-no-policies-check (policy attached straight to the user instead of a group or role)
aws.iam.UserPolicyAttachment("clinic-kiosk-uploader-s3", user=kiosk_user.name,
                             policy_arn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")

# ---------------------------------------------------------------- compute


def launch_template(name, imds_required=True):
    return aws.ec2.LaunchTemplate(
        name, image_id=ami, instance_type="t3.medium", iam_instance_profile={"arn": profile.arn},
        update_default_version=True,
        metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
            http_tokens="required" if imds_required else "optional", http_put_response_hop_limit=1),
        network_interfaces=[{"associate_public_ip_address": "false", "security_groups": [app_sg.id]}],
        block_device_mappings=[{"device_name": "/dev/xvda", "ebs": {"volume_size": 30, "volume_type": "gp3",
                                                                    "encrypted": "true", "kms_key_id": key.arn}}],
        tag_specifications=[{"resource_type": "instance", "tags": tags}])


web_lt = launch_template("clinic-web-lt")
# defect: ec2-imdsv2-check (kiosk template still allows IMDSv1 for an old agent)
kiosk_lt = launch_template("clinic-kiosk-lt", imds_required=False)

alb = aws.lb.LoadBalancer("clinic-alb", load_balancer_type="application", subnets=[s.id for s in public],
                          security_groups=[lb_sg.id], drop_invalid_header_fields=True, enable_deletion_protection=True,
                          access_logs={"bucket": log_bucket, "prefix": "clinic-alb", "enabled": True}, tags=tags)
tg = aws.lb.TargetGroup("clinic-web-tg", port=8443, protocol="HTTPS", vpc_id=vpc.id,
                        health_check={"path": "/health", "protocol": "HTTPS"})
aws.lb.Listener("clinic-https", load_balancer_arn=alb.arn, port=443, protocol="HTTPS",
                ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn=cert.arn,
                default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
aws.lb.Listener("clinic-http-redirect", load_balancer_arn=alb.arn, port=80, protocol="HTTP",
                default_actions=[{"type": "redirect", "redirect": {"port": "443", "protocol": "HTTPS",
                                                                   "status_code": "HTTP_301"}}])
acl = aws.wafv2.WebAcl("clinic-acl", scope="REGIONAL", default_action={"allow": {}},
                       visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "clinic",
                                          "sampled_requests_enabled": True})
aws.wafv2.WebAclLoggingConfiguration("clinic-acl-logs", resource_arn=acl.arn,
                                     log_destination_configs=[f"arn:aws:s3:::aws-waf-logs-{log_bucket}"])
aws.wafv2.WebAclAssociation("clinic-alb-waf", resource_arn=alb.arn, web_acl_arn=acl.arn)

aws.autoscaling.Group("clinic-web-asg", min_size=2, max_size=6, vpc_zone_identifiers=[s.id for s in private],
                      launch_template={"id": web_lt.id, "version": "$Latest"}, target_group_arns=[tg.arn],
                      health_check_type="ELB", health_check_grace_period=300,
                      opts=pulumi.ResourceOptions(ignore_changes=["desired_capacity"]))

# Classic ELB for the kiosk fleet (its firmware speaks only to a classic listener).
kiosk_elb = aws.elb.LoadBalancer(
    "clinic-kiosk-elb", subnets=[s.id for s in public], security_groups=[lb_sg.id], cross_zone_load_balancing=True,
    listeners=[{"instance_port": 8443, "instance_protocol": "https", "lb_port": 443, "lb_protocol": "https",
                "ssl_certificate_id": cert.arn}],
    access_logs={"bucket": log_bucket, "bucket_prefix": "kiosk-elb", "interval": 5},
    health_check={"target": "HTTPS:8443/health", "healthy_threshold": 2, "unhealthy_threshold": 2,
                  "timeout": 5, "interval": 30}, tags=tags)
tls_policy = aws.elb.LoadBalancerPolicy(
    "clinic-kiosk-tls12", load_balancer_name=kiosk_elb.name, policy_name="clinic-kiosk-tls12",
    policy_type_name="SSLNegotiationPolicyType",
    policy_attributes=[{"name": "Reference-Security-Policy", "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}])
aws.elb.ListenerPolicy("clinic-kiosk-443-policy", load_balancer_name=kiosk_elb.name, load_balancer_port=443,
                       policy_names=[tls_policy.policy_name])
# defect: autoscaling-group-elb-healthcheck-required (kiosk ASG behind the ELB keeps EC2 health checks)
kiosk_asg = aws.autoscaling.Group("clinic-kiosk-asg", min_size=1, max_size=3,
                                  vpc_zone_identifiers=[s.id for s in private],
                                  launch_template={"id": kiosk_lt.id, "version": "$Latest"})
aws.autoscaling.Attachment("clinic-kiosk-asg-elb", autoscaling_group_name=kiosk_asg.name, elb=kiosk_elb.name)

# ---------------------------------------------------------------- scheduling database
db_subnets = aws.rds.SubnetGroup("clinic-db-subnets", subnet_ids=[s.id for s in private])
mysql_params = aws.rds.ParameterGroup("clinic-mysql80", family="mysql8.0", parameters=[
    {"name": "require_secure_transport", "value": "1"}, {"name": "general_log", "value": "1"},
    {"name": "slow_query_log", "value": "1"}, {"name": "log_output", "value": "FILE"}])
# defect: rds-logging-enabled (audit log not exported: no MARIADB_AUDIT_PLUGIN option group, no "audit")
aws.rds.Instance("clinic-scheduling-db", engine="mysql", engine_version="8.0.39", instance_class="db.m6g.large",
                 allocated_storage=50, storage_encrypted=True, kms_key_id=key.arn, username="clinicadmin",
                 manage_master_user_password=True, db_subnet_group_name=db_subnets.name,
                 parameter_group_name=mysql_params.name, vpc_security_group_ids=[app_sg.id], multi_az=True,
                 backup_retention_period=35, deletion_protection=True, monitoring_interval=15,
                 monitoring_role_arn=f"arn:aws:iam::{aws.get_caller_identity().account_id}:role/rds-monitoring-role",
                 enabled_cloudwatch_logs_exports=["error", "general", "slowquery"], skip_final_snapshot=True,
                 tags=tags, opts=pulumi.ResourceOptions(protect=True))

pulumi.export("alb_dns", alb.dns_name)
pulumi.export("kiosk_elb_dns", kiosk_elb.dns_name)
