"""Data tier: encrypted buckets (a dict of resources), RDS via **kwargs, a private hosted zone."""
import json
from dataclasses import dataclass

import pulumi
from pulumi import Output
from pulumi_aws import kms, rds as database, route53, s3

from .network import Network


@dataclass
class DataTierArgs:
    network: Network
    env: str = "dev"


def encrypted_bucket(name: str, key: kms.Key, parent: pulumi.Resource) -> s3.Bucket:
    """A helper returning a resource: bucket plus its encryption configuration."""
    bucket = s3.Bucket(name, force_destroy=False, opts=pulumi.ResourceOptions(parent=parent))
    s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=bucket.id,
        rules=[s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn),
            bucket_key_enabled=True,
        )],
        opts=pulumi.ResourceOptions(parent=parent),
    )
    s3.BucketPublicAccessBlock(f"{name}-pab", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True,
                               opts=pulumi.ResourceOptions(parent=parent))
    return bucket


class DataTier(pulumi.ComponentResource):
    def __init__(self, name: str, args: DataTierArgs, opts=None):
        super().__init__("tap:data:DataTier", name, None, opts)
        net = args.network
        self.key = kms.Key(f"{name}-key", enable_key_rotation=True, deletion_window_in_days=30,
                           opts=pulumi.ResourceOptions(parent=self))

        self.buckets = {purpose: encrypted_bucket(f"{name}-{purpose}", self.key, self)
                        for purpose in ("raw", "curated", "audit")}
        for purpose, bucket in self.buckets.items():
            s3.BucketPolicy(
                f"{name}-{purpose}-tls-only",
                bucket=bucket.id,
                policy=json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [{"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                   "Resource": [bucket.arn, Output.concat(bucket.arn, "/*")],
                                   "Condition": {"Bool": {"aws:SecureTransport": "false"}}}],
                }),
                opts=pulumi.ResourceOptions(parent=self),
            )

        subnet_group = database.SubnetGroup(f"{name}-subnets", subnet_ids=[s.id for s in net.private_subnets],
                                            opts=pulumi.ResourceOptions(parent=self))
        common_args = dict(
            engine="postgres",
            instance_class="db.t3.medium",
            allocated_storage=50,
            storage_encrypted=True,
            kms_key_id=self.key.arn,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[net.db_sg.id],
            skip_final_snapshot=False,
            backup_retention_period=35,
        )
        self.db: database.Instance = database.Instance(
            f"{name}-db",
            **common_args,
            name="patients",
            username="phi_admin",
            manage_master_user_password=True,
            final_snapshot_identifier=f"{name}-db-final",
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.replica = database.Instance(
            f"{name}-db-replica",
            replicate_source_db=self.db.identifier,
            instance_class="db.t3.medium",
            storage_encrypted=True,
            kms_key_id=self.key.arn,
            skip_final_snapshot=True,
            opts=pulumi.ResourceOptions(parent=self),
        )

        zone = route53.Zone(f"{name}-zone", name=f"{args.env}.internal", vpcs=[{"vpc_id": net.vpc.id}],
                            opts=pulumi.ResourceOptions(parent=self))
        route53.Record(f"{name}-db-cname", zone_id=zone.zone_id, name=f"db.{args.env}.internal", type="CNAME",
                       ttl=300, records=[self.db.address], opts=pulumi.ResourceOptions(parent=self))

        self.endpoint = Output.all(self.db.address, self.db.port).apply(lambda args: f"{args[0]}:{args[1]}")
        self.connection = Output.all(host=self.db.address, port=self.db.port).apply(
            lambda a: f"postgresql://{a['host']}:{a['port']}/patients?sslmode=require")
        self.register_outputs({"endpoint": self.endpoint, "buckets": {k: b.arn for k, b in self.buckets.items()}})
