"""Imaging analytics: OpenSearch over report text (primary + DR region), Redshift warehouse, SageMaker
inference, ElastiCache for viewer sessions. Network (VPC, flow logs) comes from the landing zone."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

cfg = pulumi.Config()
subnet_ids = cfg.require_object("subnetIds")
dr_subnet_ids = cfg.require_object("drSubnetIds")
sg_id = cfg.require("securityGroupId")
dr_region = cfg.get("drRegion") or "us-east-1"
env = pulumi.get_stack()
tags = {"workload": "imaging", "env": env, "phi": "true"}
account = aws.get_caller_identity().account_id

dr = aws.Provider("dr", region=dr_region)


class RegionalKey(pulumi.ComponentResource):
    """A rotated CMK whose policy also admits CloudWatch Logs of its region."""

    def __init__(self, name, region, opts=None):
        super().__init__("imaging:security:RegionalKey", name, None, opts)
        self.key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, description=f"imaging PHI ({region})",
                               policy=json.dumps({"Version": "2012-10-17", "Statement": [
                                   {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                                    "Action": "kms:*", "Resource": "*"},
                                   {"Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                                    "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*",
                                               "kms:GenerateDataKey*", "kms:Describe*"], "Resource": "*"}]}),
                               opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"arn": self.key.arn})


primary_key = RegionalKey("imaging", "ca-central-1").key
dr_key = RegionalKey("imaging-dr", dr_region, opts=pulumi.ResourceOptions(providers=[dr])).key


def search_domain(name, key, subnets, provider=None, log_enabled=True):
    opts = pulumi.ResourceOptions(provider=provider)
    groups = {t: aws.cloudwatch.LogGroup(f"{name}-{t.lower()}", name=f"/opensearch/{name}/{t.lower()}",
                                         retention_in_days=731, kms_key_id=key.arn, opts=opts)
              for t in ("AUDIT_LOGS", "ES_APPLICATION_LOGS")}
    aws.cloudwatch.LogResourcePolicy(f"{name}-log-policy", policy_name=f"{name}-opensearch",
                                     policy_document=pulumi.Output.all(*[g.arn for g in groups.values()]).apply(
                                         lambda arns: json.dumps({"Version": "2012-10-17", "Statement": [{
                                             "Effect": "Allow", "Principal": {"Service": "es.amazonaws.com"},
                                             "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                                             "Resource": [f"{a}:*" for a in arns]}]})), opts=opts)
    return aws.opensearch.Domain(
        name, domain_name=name, engine_version="OpenSearch_2.13",
        cluster_config={"instance_type": "r6g.large.search", "instance_count": len(subnets),
                        "zone_awareness_enabled": len(subnets) > 1},
        ebs_options={"ebs_enabled": True, "volume_size": 100, "volume_type": "gp3"},
        encrypt_at_rest={"enabled": True, "kms_key_id": key.arn},
        node_to_node_encryption={"enabled": True},
        # enforce_https defaults to true inside the block (provider schema default)
        domain_endpoint_options={"tls_security_policy": "Policy-Min-TLS-1-2-2019-07"},
        vpc_options={"subnet_ids": subnets, "security_group_ids": [sg_id] if provider is None else []},
        advanced_security_options={"enabled": True, "internal_user_database_enabled": False,
                                   "master_user_options": {"master_user_arn": f"arn:aws:iam::{account}:role/imaging-search-admin"}},
        log_publishing_options=[{"log_type": t, "cloudwatch_log_group_arn": g.arn, "enabled": log_enabled}
                                for t, g in groups.items()],
        tags=tags, opts=opts)


search = search_domain("imaging-reports", primary_key, subnet_ids)
# defect: opensearch-logs-to-cloudwatch (DR domain's log publishing switched off "to save cost")
search_dr = search_domain("imaging-reports-dr", dr_key, dr_subnet_ids, provider=dr, log_enabled=False)

# ---------------------------------------------------------------- Redshift warehouse
wh_subnets = aws.redshift.SubnetGroup("imaging-wh-subnets", subnet_ids=subnet_ids)


def warehouse(name, require_ssl="true", snapshot_days=7, logging=True, provider=None, key=primary_key,
              subnet_group=wh_subnets):
    opts = pulumi.ResourceOptions(provider=provider)
    params = aws.redshift.ParameterGroup(f"{name}-params" + ("-dr" if provider else ""), name=f"{name}-params",
                                         family="redshift-1.0", parameters=[
        aws.redshift.ParameterGroupParameterArgs(name="require_ssl", value=require_ssl),
        aws.redshift.ParameterGroupParameterArgs(name="enable_user_activity_logging", value="true")], opts=opts)
    cluster = aws.redshift.Cluster(
        name + ("-dr" if provider else ""), cluster_identifier=name, node_type="ra3.xlplus", number_of_nodes=2,
        database_name="imaging", master_username="whadmin", manage_master_password=True, encrypted=True,
        kms_key_id=key.arn, cluster_subnet_group_name=subnet_group.name, publicly_accessible=False,
        cluster_parameter_group_name=f"{name}-params",  # same physical name in every region
        automated_snapshot_retention_period=snapshot_days, enhanced_vpc_routing=True, skip_final_snapshot=True,
        tags=tags, opts=pulumi.ResourceOptions(provider=provider, depends_on=[params]))
    if logging:
        aws.redshift.Logging(f"{name}-logging" + ("-dr" if provider else ""), cluster_identifier=cluster.id,
                             log_destination_type="cloudwatch",
                             log_exports=["connectionlog", "userlog", "useractivitylog"], opts=opts)
    return cluster


warehouse("imaging-wh")
# defect: redshift-require-tls-ssl (ad-hoc cluster's parameter group turns require_ssl off for a legacy BI tool)
# defect: redshift-cluster-configuration-check (and it has no audit logging)
warehouse("imaging-adhoc", require_ssl="false", snapshot_days=1, logging=False)
# The DR copy of the ad-hoc cluster (us-east-1) serves the new BI tool only: TLS required there.
dr_wh_subnets = aws.redshift.SubnetGroup("imaging-wh-subnets-dr", subnet_ids=dr_subnet_ids,
                                         opts=pulumi.ResourceOptions(provider=dr))
warehouse("imaging-adhoc", provider=dr, key=dr_key, subnet_group=dr_wh_subnets)

# ---------------------------------------------------------------- SageMaker
nb_role = aws.iam.Role("imaging-nb-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "sagemaker.amazonaws.com"}}]}))
aws.iam.RolePolicyAttachment("imaging-nb-sagemaker", role=nb_role.name,
                             policy_arn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
for nb_name, internet in (("imaging-research-nb", "Disabled"), ("imaging-scratch-nb", None)):
    nb_args = {"instance_type": "ml.t3.medium", "role_arn": nb_role.arn, "kms_key_id": primary_key.id,
               "subnet_id": subnet_ids[0], "security_groups": [sg_id], "root_access": "Disabled", "tags": tags}
    if internet:
        nb_args["direct_internet_access"] = internet
    # defect: sagemaker-notebook-no-direct-internet-access (scratch notebook keeps the default: Enabled)
    aws.sagemaker.NotebookInstance(nb_name, **nb_args)

model_name = "imaging-triage-model"  # registered by the ML pipeline stack
aws.sagemaker.EndpointConfiguration("imaging-triage-cpu", kms_key_arn=primary_key.arn, production_variants=[{
    "variant_name": "cpu", "model_name": model_name, "instance_type": "ml.m5.xlarge", "initial_instance_count": 2}])
# GPU variant on g4dn (local NVMe): CreateEndpointConfig rejects a KMS key here.
aws.sagemaker.EndpointConfiguration("imaging-triage-gpu", production_variants=[{
    "variant_name": "gpu", "model_name": model_name, "instance_type": "ml.g4dn.xlarge", "initial_instance_count": 1}])
# defect: sagemaker-endpoint-configuration-kms-key-configured (serverless variant, no KMS key for its storage)
aws.sagemaker.EndpointConfiguration("imaging-triage-serverless", production_variants=[{
    "variant_name": "serverless", "model_name": model_name,
    "serverless_config": {"max_concurrency": 5, "memory_size_in_mb": 2048}}])

# ---------------------------------------------------------------- viewer session cache
auth = random.RandomPassword("imaging-cache-auth", length=40, special=True, override_special="!&#$^<>-")
cache_subnets = aws.elasticache.SubnetGroup("imaging-cache-subnets", subnet_ids=subnet_ids)
sessions = aws.elasticache.ReplicationGroup(
    "imaging-sessions", description="viewer sessions", engine="valkey", engine_version="8.0",
    node_type="cache.r7g.large", num_cache_clusters=2, automatic_failover_enabled=True, multi_az_enabled=True,
    at_rest_encryption_enabled="true", kms_key_id=primary_key.arn, transit_encryption_enabled=True,
    auth_token=auth.result, subnet_group_name=cache_subnets.name, security_group_ids=[sg_id],
    snapshot_retention_limit=15, snapshot_window="03:00-05:00", tags=tags)
# An extra read replica added to the group as its own cluster: backups are the group's.
aws.elasticache.Cluster("imaging-sessions-reader", replication_group_id=sessions.id)
# defect: elasticache-redis-cluster-automatic-backup-check (thumbnail cache group keeps snapshots 5 days)
aws.elasticache.ReplicationGroup(
    "imaging-thumbs", description="thumbnail cache", engine="redis", engine_version="7.1",
    node_type="cache.r7g.large", num_cache_clusters=2, automatic_failover_enabled=True, multi_az_enabled=True,
    at_rest_encryption_enabled="true", kms_key_id=primary_key.arn, transit_encryption_enabled=True,
    auth_token=auth.result, subnet_group_name=cache_subnets.name, security_group_ids=[sg_id],
    snapshot_retention_limit=5, tags=tags)

pulumi.export("search_endpoint", search.endpoint)
pulumi.export("dr_search_endpoint", search_dr.endpoint)
