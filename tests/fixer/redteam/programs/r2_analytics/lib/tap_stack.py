"""TapStack: the analytics component. Helper factories, **kwargs forwarding, aliases and annotations."""
from typing import Any, Dict, Optional

import pulumi
import pulumi_aws as aws
from pulumi import Output, ResourceOptions
from pulumi_aws import athena, glue, opensearch as search, redshift
from pulumi_aws.iam import ManagedPolicy, Role, RolePolicyAttachment


class TapStackArgs:
    def __init__(self, environment_suffix: Optional[str] = None, tags: Optional[Dict[str, str]] = None):
        self.environment_suffix = environment_suffix or "dev"
        self.tags = tags or {"Project": "analytics", "DataClass": "de-identified"}


def lake_bucket(name: str, **kwargs: Any) -> aws.s3.Bucket:
    """kwargs are forwarded as-is (the fixer cannot see what the caller passes)."""
    return aws.s3.Bucket(name, force_destroy=False, **kwargs)


class TapStack(pulumi.ComponentResource):
    workgroup: athena.Workgroup
    search: search.Domain

    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None) -> None:
        super().__init__("tap:analytics:TapStack", name, None, opts)
        env = args.environment_suffix
        child = ResourceOptions(parent=self)
        key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, opts=child)

        self.results = lake_bucket(f"{name}-athena-results-{env}", tags=args.tags, opts=child)
        self.lake = lake_bucket(f"{name}-lake-{env}", tags={**args.tags, "Tier": "curated"}, opts=child)

        glue_role = Role(
            f"{name}-glue-role",
            assume_role_policy=aws.iam.get_policy_document(statements=[{
                "actions": ["sts:AssumeRole"],
                "principals": [{"type": "Service", "identifiers": ["glue.amazonaws.com"]}],
            }]).json,
            opts=child,
        )
        RolePolicyAttachment(f"{name}-glue-service", role=glue_role.name,
                             policy_arn=ManagedPolicy.AWS_GLUE_SERVICE_ROLE, opts=child)
        RolePolicyAttachment(f"{name}-glue-s3-read", role=glue_role.name,
                             policy_arn=ManagedPolicy.AmazonS3ReadOnlyAccess, opts=child)

        self.database = glue.CatalogDatabase(f"{name}-db", name=f"phi_lake_{env}".replace("-", "_"), opts=child)
        tables = ["encounters", "claims", "labs"]
        self.crawlers = [
            glue.Crawler(
                f"{name}-crawler-{table}",
                database_name=self.database.name,
                role=glue_role.arn,
                s3_targets=[{"path": self.lake.bucket.apply(lambda b, t=table: f"s3://{b}/{t}/")}],
                schedule="cron(0 2 * * ? *)",
                opts=child,
            )
            for table in tables
        ]

        self.workgroup: athena.Workgroup = athena.Workgroup(
            f"{name}-wg",
            name=f"{name}-{env}",
            configuration={
                "enforce_workgroup_configuration": True,
                "result_configuration": {
                    "output_location": Output.format("s3://{0}/results/", self.results.bucket),
                    "encryption_configuration": {"encryption_option": "SSE_KMS", "kms_key_arn": key.arn},
                },
            },
            force_destroy=True,
            opts=child,
        )

        subnet_group = redshift.SubnetGroup(f"{name}-rs-subnets", subnet_ids=["subnet-0a1b", "subnet-0c2d"],
                                            opts=child)
        self.warehouse = redshift.Cluster(
            f"{name}-rs",
            cluster_identifier=f"{name}-rs-{env}",
            node_type="ra3.xlplus",
            cluster_type="multi-node",
            number_of_nodes=2,
            database_name="analytics",
            master_username="rsadmin",
            manage_master_password=True,
            encrypted=True,
            kms_key_id=key.arn,
            cluster_subnet_group_name=subnet_group.name,
            publicly_accessible=False,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{name}-rs-{env}-final",
            depends_on=[subnet_group],
            opts=child,
        )

        self.search: search.Domain = search.Domain(
            f"{name}-search",
            domain_name=f"phi-{env}",
            engine_version="OpenSearch_2.11",
            cluster_config=search.DomainClusterConfigArgs(instance_type="r6g.large.search", instance_count=2,
                                                          zone_awareness_enabled=True),
            ebs_options={"ebs_enabled": True, "volume_size": 100, "volume_type": "gp3"},
            encrypt_at_rest={"enabled": True, "kms_key_id": key.key_id},
            node_to_node_encryption={"enabled": True},
            domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-2019-07"},
            opts=child,
        )

        # nested f-strings and Outputs: the inner one interpolates only plain values
        label = f"{name}-{f'{env}'.upper()}"
        self.summary = Output.all(self.warehouse.endpoint, self.search.endpoint).apply(
            lambda args: f"warehouse={args[0]} search=https://{args[1]} ({label})")
        pulumi.export("warehouse_endpoint", self.warehouse.endpoint)
        pulumi.export("lake_uri", f"s3://{self.lake.bucket}/")
        self.register_outputs({"summary": self.summary, "crawlers": [c.name for c in self.crawlers]})
