"""HL7 search platform: OpenSearch in the VPC, Redis for sessions, Aurora PostgreSQL for the raw messages,
and a Kinesis stream feeding the indexer."""
import json

import pulumi
import pulumi_aws as aws
from pulumi_aws import cloudwatch, elasticache, iam, kinesis, kms, opensearch, rds

config = pulumi.Config()
search = config.require_object("search")
cache_nodes = config.get_int("cacheNodes", 2)
aurora_instances = config.get_int("auroraInstances", 2)
stack = pulumi.get_stack()
tags = {"app": "hl7-search", "env": stack, "data-classification": "phi"}

region = aws.get_region().name
account_id = aws.get_caller_identity().account_id
vpc = aws.ec2.get_vpc(tags={"Name": f"hl7-{stack}"})
data_subnet_ids = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]},
                                               {"name": "tag:tier", "values": ["data"]}]).ids
allowed_cidrs = aws.ssm.get_parameter(name=config.require("allowedCidrsParameter")).value.split(",")

# Key policy: account admin plus the services, with the CloudWatch Logs statement layered on by override.
base_key_doc = iam.get_policy_document(statements=[
    {"sid": "Admin", "actions": ["kms:*"], "resources": ["*"],
     "principals": [{"type": "AWS", "identifiers": [f"arn:aws:iam::{account_id}:root"]}]},
])
logs_key_doc = iam.get_policy_document(statements=[{
    "sid": "CloudWatchLogs",
    "actions": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    "resources": ["*"],
    "principals": [{"type": "Service", "identifiers": [f"logs.{region}.amazonaws.com"]}],
    "conditions": [{"test": "ArnLike", "variable": "kms:EncryptionContext:aws:logs:arn",
                    "values": [f"arn:aws:logs:{region}:{account_id}:log-group:/hl7/*",
                               f"arn:aws:logs:{region}:{account_id}:log-group:/aws/opensearch/*"]}],
}])
key = kms.Key("hl7-key", description="HL7 platform", enable_key_rotation=True, tags=tags,
              policy=iam.get_policy_document(source_policy_documents=[base_key_doc.json],
                                             override_policy_documents=[logs_key_doc.json]).json)

search_logs = cloudwatch.LogGroup("hl7-search-logs", name=f"/aws/opensearch/hl7-{stack}", retention_in_days=2190,
                                  kms_key_id=key.arn, tags=tags)
cloudwatch.LogResourcePolicy("hl7-search-log-delivery", policy_name=f"hl7-{stack}-opensearch-logs",
                             policy_document=search_logs.arn.apply(lambda arn: json.dumps({
                                 "Version": "2012-10-17",
                                 "Statement": [{"Effect": "Allow", "Principal": {"Service": "es.amazonaws.com"},
                                                "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                                                "Resource": f"{arn}:*",
                                                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}}}]})))

data_sg = aws.ec2.SecurityGroup("hl7-data-sg", vpc_id=vpc.id, description="HL7 data tier", tags=tags,
                                ingress=[{"protocol": "tcp", "from_port": port, "to_port": port,
                                          "cidr_blocks": allowed_cidrs, "description": what}
                                         for port, what in ((443, "OpenSearch"), (6379, "Redis"),
                                                            (5432, "Aurora"))])

# defect: opensearch-node-to-node-encryption-check (node_to_node_encryption left out)
domain = opensearch.Domain(
    "hl7-search",
    domain_name=f"hl7-{stack}",
    engine_version="OpenSearch_2.13",
    cluster_config=opensearch.DomainClusterConfigArgs(instance_type=search["instanceType"],
                                                      instance_count=search["instanceCount"],
                                                      zone_awareness_enabled=True,
                                                      zone_awareness_config={"availability_zone_count": 3}),
    ebs_options={"ebs_enabled": True, "volume_size": search["volumeGb"], "volume_type": "gp3"},
    encrypt_at_rest={"enabled": True, "kms_key_id": key.key_id},
    domain_endpoint_options={"enforce_https": True, "tls_security_policy": "Policy-Min-TLS-1-2-PFS-2023-10"},
    vpc_options={"subnet_ids": data_subnet_ids, "security_group_ids": [data_sg.id]},
    log_publishing_options=[{"log_type": t, "cloudwatch_log_group_arn": search_logs.arn}
                            for t in ("INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS", "AUDIT_LOGS")],
    tags=tags,
)

cache_subnets = elasticache.SubnetGroup("hl7-cache-subnets", subnet_ids=data_subnet_ids)
# defect: elasticache-transit-encryption (TLS switched off "for the legacy session library")
cache = elasticache.ReplicationGroup(
    "hl7-sessions",
    description="HL7 viewer sessions",
    engine="redis",
    engine_version="7.1",
    node_type="cache.r7g.large",
    num_cache_clusters=cache_nodes,
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    at_rest_encryption_enabled=True,
    kms_key_id=key.arn,
    transit_encryption_enabled=False,
    snapshot_retention_limit=35,
    subnet_group_name=cache_subnets.name,
    security_group_ids=[data_sg.id],
    tags=tags,
)

# defect: rds-force-ssl (the cluster parameter group never sets rds.force_ssl)
cluster_params = rds.ClusterParameterGroup("hl7-aurora-params", family="aurora-postgresql16",
                                           parameters=[{"name": "log_min_duration_statement", "value": "1000"}])
store_subnets = rds.SubnetGroup("hl7-store-subnets", subnet_ids=data_subnet_ids, tags=tags)
store = rds.Cluster(
    "hl7-store",
    cluster_identifier=f"hl7-store-{stack}",
    engine="aurora-postgresql",
    engine_version="16.4",
    master_username="hl7admin",
    manage_master_user_password=True,
    storage_encrypted=True,
    kms_key_id=key.arn,
    db_subnet_group_name=store_subnets.name,
    vpc_security_group_ids=[data_sg.id],
    db_cluster_parameter_group_name=cluster_params.name,
    backup_retention_period=35,
    deletion_protection=True,
    copy_tags_to_snapshot=True,
    enabled_cloudwatch_logs_exports=["postgresql"],
    final_snapshot_identifier=f"hl7-store-{stack}-final",
    tags=tags,
)
monitoring_role = iam.get_role(name="rds-monitoring-role")
for index in range(aurora_instances):
    rds.ClusterInstance(f"hl7-store-{index}", cluster_identifier=store.id, engine=store.engine,
                        engine_version=store.engine_version, instance_class="db.r6g.large",
                        publicly_accessible=False, auto_minor_version_upgrade=True, monitoring_interval=60,
                        monitoring_role_arn=monitoring_role.arn, tags=tags)

# defect: kinesis-stream-encrypted (the indexer feed has no server-side encryption)
feed = kinesis.Stream("hl7-index-feed", stream_mode_details={"stream_mode": "ON_DEMAND"}, retention_period=168,
                      tags=tags)

pulumi.export("searchEndpoint", pulumi.Output.format("https://{0}", domain.endpoint))
pulumi.export("cacheHost", cache.primary_endpoint_address)
pulumi.export("storeSecretArn", store.master_user_secrets.apply(lambda s: s[0].secret_arn if s else None))
pulumi.export("storeHost", store.endpoint.apply(lambda e: e.split(":")[0]))
pulumi.export("feedArn", feed.arn)
