"""Redshift: automated snapshots, encryption and audit logging, version upgrades, public access, TLS."""
from policypack import data
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.relations import names_of, referenced, referrers_named
from policypack.policy import Example, resource_policy, stack_policy

_RETENTION = data.redshift_facts()["automated_snapshot_retention_days"]
_LOGGING, _PARAMETERS = T.REDSHIFT_LOGGING[0], T.REDSHIFT_PARAMETER_GROUP[0]
_CLUSTER = {"clusterIdentifier": "warehouse", "nodeType": "ra3.xlplus"}


@resource_policy(
    name="redshift-backup-enabled",
    description="Redshift clusters must keep automated snapshots for at least the configured number of days.",
    resource_types=T.REDSHIFT_CLUSTER,
    severity="medium", group="hipaa", citation=C.BACKUP, aws_config_rules=("redshift-backup-enabled",),
    data_sources=("redshift.json",),
    config_schema={"minimumDays": {"type": "integer", "default": _RETENTION["default"], "minimum": 1,
                                   "maximum": _RETENTION["maximum"],
                                   "description": "Fewest days of automated snapshots (the AWS rule's default: 1)."}},
    remediation="Set automated_snapshot_retention_period between minimumDays and 35 (0 turns snapshots off).",
    violating=[Example({**_CLUSTER, "automatedSnapshotRetentionPeriod": 0}),
               Example({**_CLUSTER, "automatedSnapshotRetentionPeriod": 3}, config={"minimumDays": 7})],
    compliant=[Example(_CLUSTER, note="unset means 1 day"),
               Example({**_CLUSTER, "automatedSnapshotRetentionPeriod": 35})],
)
def redshift_backup_enabled(r):
    days = r.props.get_number("automatedSnapshotRetentionPeriod")
    days = _RETENTION["default"] if days is None else days
    if not r.config["minimumDays"] <= days <= _RETENTION["maximum"]:
        yield (f"automatedSnapshotRetentionPeriod is {r.props.show('automatedSnapshotRetentionPeriod')}: keep "
               f"between {r.config['minimumDays']} and {_RETENTION['maximum']} days of automated snapshots.")


@redshift_backup_enabled.remediator
def _(r):
    days = r.props.get_number("automatedSnapshotRetentionPeriod")
    if days is not None and days > _RETENTION["maximum"]:
        return None  # lowering retention is not a tightening
    return {"automatedSnapshotRetentionPeriod": r.config["minimumDays"]}


@stack_policy(
    name="redshift-cluster-configuration-check",
    description="Redshift clusters must be encrypted and have audit logging configured.",
    resource_types=T.REDSHIFT_CLUSTER,
    severity="high", group="hipaa", citation=C.cite(C.ENCRYPTION_AT_REST, C.AUDIT),
    aws_config_rules=("redshift-cluster-configuration-check",),
    remediation="Leave encrypted unset or true (with a customer-managed kms_key_id) and add an "
                "aws.redshift.Logging for the cluster (log_destination_type 'cloudwatch' with log_exports "
                "connectionlog, userlog, useractivitylog, or an S3 bucket).",
    violating=[
        Example(_CLUSTER, name="warehouse", note="no aws.redshift.Logging for the cluster"),
        Example({**_CLUSTER, "encrypted": "false"}, name="warehouse",
                stack=[{"type": _LOGGING, "name": "audit", "props": {"clusterIdentifier": "warehouse",
                                                                     "logDestinationType": "cloudwatch"}}]),
    ],
    compliant=[
        Example(_CLUSTER, name="warehouse",
                stack=[{"type": _LOGGING, "name": "audit", "property_dependencies": {"clusterIdentifier": ["warehouse"]},
                        "props": {"clusterIdentifier": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                                  "logDestinationType": "cloudwatch",
                                  "logExports": ["connectionlog", "userlog", "useractivitylog"]}}],
                note="encrypted unset means true in pulumi-aws 7"),
    ],
)
def redshift_cluster_configuration_check(cluster, stack):
    if cluster.props.get_bool("encrypted") is False:
        yield f"encrypted is {cluster.props.show('encrypted')}: the cluster's data and snapshots are stored unencrypted."
    if not referrers_named(cluster, stack, T.REDSHIFT_LOGGING, "clusterIdentifier",
                     names_of(cluster, ("clusterIdentifier", "id"))):
        yield ("no aws.redshift.Logging names this cluster: connections and user activity are not logged "
               "(pulumi-aws 7 has no inline logging block).")


@resource_policy(
    name="redshift-cluster-maintenancesettings-check",
    description="Redshift clusters should take engine version upgrades in the maintenance window.",
    resource_types=T.REDSHIFT_CLUSTER,
    severity="medium", group="hipaa", citation=C.cite(C.PATCHING, "308(a)(7)(ii)(A)"), enforcement="advisory",
    aws_config_rules=("redshift-cluster-maintenancesettings-check",),
    remediation="Set allow_version_upgrade=True (the default) and a preferred_maintenance_window.",
    violating=[Example({**_CLUSTER, "allowVersionUpgrade": False})],
    compliant=[Example(_CLUSTER, note="unset means true"), Example({**_CLUSTER, "allowVersionUpgrade": True})],
)
def redshift_cluster_maintenancesettings_check(r):
    if r.props.get_bool("allowVersionUpgrade") is False:
        yield "allowVersionUpgrade is false: engine patches are not applied in the maintenance window."


@redshift_cluster_maintenancesettings_check.remediator
def _(r):
    return {"allowVersionUpgrade": True}


@resource_policy(
    name="redshift-cluster-public-access-check",
    description="Redshift clusters must not be publicly accessible.",
    resource_types=T.REDSHIFT_CLUSTER,
    severity="critical", group="hipaa", citation=C.ACCESS_CONTROL,
    aws_config_rules=("redshift-cluster-public-access-check",),
    remediation="Set publicly_accessible=False and reach the cluster from inside the VPC.",
    violating=[Example({**_CLUSTER, "publiclyAccessible": True})],
    compliant=[Example(_CLUSTER, note="unset means false"), Example({**_CLUSTER, "publiclyAccessible": False})],
)
def redshift_cluster_public_access_check(r):
    if r.props.get_bool("publiclyAccessible") is True:
        yield "publiclyAccessible is true: the cluster gets a public endpoint."


@redshift_cluster_public_access_check.remediator
def _(r):
    return {"publiclyAccessible": False}


@stack_policy(
    name="redshift-require-tls-ssl",
    description="Redshift clusters must refuse connections without TLS (require_ssl).",
    resource_types=T.REDSHIFT_CLUSTER,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT, aws_config_rules=("redshift-require-tls-ssl",),
    data_sources=("redshift.json",),
    remediation="In the cluster's aws.redshift.ParameterGroup set the parameter require_ssl to 'true' (or remove "
                "the override: it defaults to true since 2025-01-10).",
    violating=[Example({**_CLUSTER, "clusterParameterGroupName": "warehouse-params"}, name="warehouse",
                       stack=[{"type": _PARAMETERS, "name": "params", "props": {
                           "name": "warehouse-params", "family": "redshift-1.0",
                           "parameters": [{"name": "require_ssl", "value": "false"}]}}])],
    compliant=[
        Example(_CLUSTER, name="warehouse", note="the default parameter group requires TLS since 2025-01-10"),
        Example({**_CLUSTER, "clusterParameterGroupName": "warehouse-params"}, name="warehouse",
                property_dependencies={"clusterParameterGroupName": ["params"]},
                stack=[{"type": _PARAMETERS, "name": "params", "props": {
                    "name": "warehouse-params", "family": "redshift-1.0",
                    "parameters": [{"name": "require_ssl", "value": "true"},
                                   {"name": "enable_user_activity_logging", "value": "true"}]}}]),
        Example({**_CLUSTER, "clusterParameterGroupName": "warehouse-params"}, name="warehouse",
                note="a group of the same name in another Region is another group",
                stack=[{"type": _PARAMETERS, "name": "params-dr", "props": {
                    "name": "warehouse-params", "family": "redshift-1.0", "region": "eu-west-1",
                    "parameters": [{"name": "require_ssl", "value": "false"}]}}]),
    ],
)
def redshift_require_tls_ssl(cluster, stack):
    if not cluster.props.is_set("clusterParameterGroupName"):
        return
    for group in referenced(cluster, stack, "clusterParameterGroupName", T.REDSHIFT_PARAMETER_GROUP, ("name", "id")):
        for i, parameter in enumerate(group.props.each("parameters")):
            if (parameter.get_str("name") or "").strip().lower() == "require_ssl" \
                    and str(parameter.get("value")).strip().lower() in ("false", "0", "off"):
                yield (f"parameter group {group.name} sets require_ssl to false: clients may connect without TLS.")
