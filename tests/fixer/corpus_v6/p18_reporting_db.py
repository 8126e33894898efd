import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
size = cfg.get_int("storage") or 100
params = aws.rds.ParameterGroup("reporting-params", family="postgres16",
                                parameters=[aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1")])
reporting = aws.rds.Instance("reporting", engine="postgres", engine_version="16.3", instance_class="db.m6g.large",
                             allocated_storage=size, name="reporting", username="reporter",
                             manage_master_user_password=True, parameter_group_name=params.name,
                             storage_encrypted=True, multi_az=True, backup_retention_period=30,
                             performance_insights_enabled=True, copy_tags_to_snapshot=True,
                             final_snapshot_identifier="reporting-final")
pulumi.export("reporting_address", reporting.address)
