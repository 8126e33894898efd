"""Audit and compliance controls: CloudTrail, flow logs, GuardDuty, reporting database."""
import json

import pulumi
from pulumi_aws import cloudtrail, ec2, guardduty, iam, kms, rds, s3, sqs
from pulumi_aws.apigateway import Deployment, RestApi
from pulumi_aws.codedeploy import App
import pulumi_random


def tagged(name: str, env: str, extra: dict | None = None) -> dict:
    """Standard HIPAA tags."""
    return {"Name": name, "Environment": env, "Compliance": "HIPAA", **(extra or {})}


def make_queue(name, env, depends_on=None, parent=None):
    """Not a provider call: its own depends_on/parent keywords are fine."""
    return sqs.Queue(name, sqs_managed_sse_enabled=True, message_retention_seconds=1209600,
                     tags=tagged(name, env), opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on))


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, env, opts=None):
        super().__init__("tap:audit:TapStack", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.key = kms.Key(f"audit-key-{env}", key_rotation_enabled=True, deletion_window_in_days=30, opts=child)

        self.trail_bucket = s3.Bucket(f"audit-trail-{env}", force_destroy=False, tags=tagged("trail", env), opts=child)
        trail_policy = json.dumps({
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "AWSCloudTrailAclCheck", "Effect": "Allow",
                 "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:GetBucketAcl", "Resource": self.trail_bucket.arn},
                {"Sid": "AWSCloudTrailWrite", "Effect": "Allow",
                 "Principal": {"Service": "cloudtrail.amazonaws.com"},
                 "Action": "s3:PutObject", "Resource": f"{self.trail_bucket.arn}/AWSLogs/*"},
            ],
        })
        self.trail_bucket_policy = s3.BucketPolicy(f"audit-trail-policy-{env}", bucket=self.trail_bucket.id,
                                                   policy=trail_policy, opts=child)

        self.trail = cloudtrail.Trail(
            f"audit-{env}",
            s3_bucket_name=self.trail_bucket.id,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            kms_key_arn=self.key.arn,
            event_selectors=[{"read_write_type": "All", "include_management_events": True,
                              "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}],
            tags=tagged("trail", env),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.trail_bucket_policy]),
        )

        self.detector = guardduty.Detector(f"audit-gd-{env}", enable=True, finding_publishing_frequency="SIX_HOURS",
                                           opts=child)

        self.vpc = ec2.Vpc(f"audit-vpc-{env}", cidr_block="10.50.0.0/16", tags=tagged("vpc", env), opts=child)
        self.flow_logs = ec2.FlowLog(
            f"audit-flow-{env}",
            vpc_id=self.vpc.id,
            traffic_type="ALL",
            log_destination_type="s3",
            log_destination=self.trail_bucket.arn,
            opts=child,
        )
        subnets = []
        for idx, zone in enumerate(["ap-southeast-1a", "ap-southeast-1b", "us-west-2c"]):
            subnets.append(ec2.Subnet(f"audit-sn-{idx}-{env}", vpc_id=self.vpc.id, cidr_block=f"10.50.{idx}.0/24",
                                      availability_zone=zone, opts=child))
        self.nat_ips = [ec2.Eip(f"audit-nat-{i}-{env}", vpc=True, opts=child) for i in range(2)]

        db_sg = ec2.SecurityGroup(f"audit-db-sg-{env}", vpc_id=self.vpc.id, description="reporting db", opts=child)
        ec2.SecurityGroupRule(f"audit-db-in-{env}", type="ingress", from_port=3306, to_port=3306, protocol="tcp",
                              security_group_id=db_sg.id, self=True, opts=child)

        self.db_password = pulumi_random.RandomPassword(f"audit-db-pw-{env}", length=24, special=False, opts=child)
        self.reporting_db = rds.Instance(
            f"audit-reporting-{env}",
            engine="mysql",
            engine_version="8.0.28",
            instance_class="db.t3.small",
            allocated_storage=50,
            name="reporting",
            username="admin",
            password=self.db_password.result,
            storage_encrypted=True,
            kms_key_id=self.key.arn,
            db_subnet_group_name=rds.SubnetGroup(f"audit-db-sn-{env}", subnet_ids=[s.id for s in subnets],
                                                 opts=child).name,
            vpc_security_group_ids=[db_sg.id],
            backup_retention_period=14,
            iam_database_authentication_enabled=True,
            ca_cert_identifier="rds-ca-rsa2048-g1",
            skip_final_snapshot=True,
            tags=tagged("reporting", env, {"Backup": "daily"}),
            opts=child,
        )

        # Reporting API
        api = RestApi(f"audit-api-{env}", opts=child)
        self.deployment = Deployment(f"audit-api-deploy-{env}", rest_api=api.id, stage_name="prod",
                                     description="reporting API", opts=child)

        self.deploy_app = App(f"audit-codedeploy-{env}", compute_platform="Server", opts=child)
        self.alerts = make_queue(f"audit-alerts-{env}", env, depends_on=[self.trail], parent=self)

        self.report_role = iam.Role(
            f"audit-report-role-{env}",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                               "Principal": {"Service": "lambda.amazonaws.com"}}],
            }),
            inline_policies=[iam.RoleInlinePolicyArgs(
                name="read-trail",
                policy=json.dumps({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": f"{self.trail_bucket.arn}/*"}]}),
            )],
            opts=child,
        )
        self.register_outputs({"trail": self.trail.arn, "db": str(self.reporting_db.endpoint)})
