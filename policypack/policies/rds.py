"""RDS: encryption at rest and in transit, backups, availability, network exposure."""
import re

from policypack import resource_types as T
from policypack.policy import Example, resource_policy

AWS_MAX_BACKUP_DAYS = 35  # AWS RDS limit for automated backup retention (RDS User Guide, "Backup retention period").


def _is_serverless_v1(r) -> bool:
    return r.props.get_str("engineMode") == "serverless"


@resource_policy(
    name="rds-storage-encrypted",
    description="RDS instances and clusters must encrypt storage at rest.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER,
    severity="high", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    aws_config_rules=("rds-storage-encrypted",),
    remediation="Set storage_encrypted=True and kms_key_id to a customer-managed KMS key. "
                "On an existing database this replaces it: restore from an encrypted snapshot.",
    violating=[
        Example({"engine": "postgres"}, note="unset means unencrypted"),
        Example({"engine": "postgres", "storageEncrypted": False}),
        Example({"engine": "aurora-postgresql", "storageEncrypted": False}, type="aws:rds/cluster:Cluster"),
    ],
    compliant=[
        Example({"engine": "postgres", "storageEncrypted": True}),
        Example({"engine": "aurora-postgresql", "engineMode": "serverless"}, type="aws:rds/cluster:Cluster",
                note="Aurora Serverless v1 storage is always encrypted"),
        Example({"replicateSourceDb": "arn:aws:rds:us-east-1:210987654321:db:primary"},
                note="a read replica inherits its source's encryption"),
    ],
)
def rds_storage_encrypted(r):
    if _is_serverless_v1(r) or r.props.is_set("replicateSourceDb"):
        return
    if r.props.get_bool("storageEncrypted") is not True:
        yield f"storageEncrypted is {r.props.show('storageEncrypted')}: data at rest is not encrypted."


@rds_storage_encrypted.remediator
def _(r):
    return {"storageEncrypted": True}


@resource_policy(
    name="rds-backup-retention",
    description="RDS automated backups must be kept for at least the configured number of days.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER,
    severity="medium", group="hipaa",
    citation=("164.308(a)(7)(ii)(A)", "164.308(a)(7)(i)", "164.308(a)(7)(ii)(B)"),
    aws_config_rules=("db-instance-backup-enabled",),
    remediation="Set backup_retention_period to at least minimumDays (default 30) and at most 35, the AWS maximum.",
    config_schema={"minimumDays": {"type": "integer", "default": 30, "minimum": 1, "maximum": AWS_MAX_BACKUP_DAYS,
                                   "description": "Fewest days of automated backups to keep."}},
    violating=[
        Example({"engine": "postgres", "backupRetentionPeriod": 7}),
        Example({"engine": "postgres"}, note="unset means 1 day"),
        Example({"engine": "postgres", "backupRetentionPeriod": 40}, note="over the AWS maximum of 35"),
        Example({"engine": "postgres", "backupRetentionPeriod": 20}, config={"minimumDays": 21}),
    ],
    compliant=[
        Example({"engine": "postgres", "backupRetentionPeriod": 30}),
        Example({"engine": "postgres", "backupRetentionPeriod": 14}, config={"minimumDays": 14}),
        Example({"engine": "postgres", "backupRetentionPeriod": 35}),
        Example({"replicateSourceDb": "reporting-db-0a1b2c3"},
                note="a read replica: the source's automated backups protect the data (replicas default to 0)"),
    ],
)
def rds_backup_retention(r):
    days = r.props.get_number("backupRetentionPeriod")
    minimum = r.config["minimumDays"]
    if r.props.is_set("replicateSourceDb") and (days is None or days <= AWS_MAX_BACKUP_DAYS):
        return
    if days is None and r.props.is_set("backupRetentionPeriod"):
        yield f"backupRetentionPeriod is {r.props.show('backupRetentionPeriod')}, not a number of days."
    elif days is None:
        yield f"backupRetentionPeriod is unset (AWS keeps 1 day); keep at least {minimum:g} days."
    elif days > AWS_MAX_BACKUP_DAYS:
        yield f"backupRetentionPeriod is {days:g} days; AWS accepts at most {AWS_MAX_BACKUP_DAYS}."
    elif days < minimum:
        yield f"backupRetentionPeriod is {days:g} days; keep at least {minimum:g} days."


@rds_backup_retention.remediator
def _(r):
    days = r.props.get_number("backupRetentionPeriod")
    if days is not None and days > AWS_MAX_BACKUP_DAYS:
        return None  # lowering retention is not a tightening: leave it to the author
    return {"backupRetentionPeriod": min(AWS_MAX_BACKUP_DAYS, r.config["minimumDays"])}


@resource_policy(
    name="rds-not-publicly-accessible",
    description="RDS instances must not be reachable from the internet.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER_INSTANCE,
    severity="critical", group="hipaa",
    citation=(
        "164.312(a)(1)", "164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(e)(1)",
    ),
    aws_config_rules=("rds-instance-public-access-check",),
    remediation="Set publicly_accessible=False and place the database in private subnets.",
    violating=[Example({"engine": "postgres", "publiclyAccessible": True}),
               Example({"publiclyAccessible": True}, type="aws:rds/clusterInstance:ClusterInstance")],
    compliant=[Example({"engine": "postgres", "publiclyAccessible": False}),
               Example({"engine": "postgres"}, note="AWS defaults to private")],
)
def rds_not_publicly_accessible(r):
    if r.props.get_bool("publiclyAccessible") is True:
        yield "publiclyAccessible is true: the database gets a public endpoint."


@rds_not_publicly_accessible.remediator
def _(r):
    return {"publiclyAccessible": False}


@resource_policy(
    name="rds-multi-az",
    description="RDS instances holding protected data should run in more than one Availability Zone.",
    resource_types=T.RDS_INSTANCE,
    severity="medium", group="hipaa", citation=("164.308(a)(7)", "164.308(a)(7)(i)", "164.308(a)(7)(ii)(C)"),
    aws_config_rules=("rds-multi-az-support",), enforcement="advisory",
    remediation="Set multi_az=True so RDS keeps a synchronous standby in another Availability Zone "
                "(contingency plan: the database survives the loss of one zone). It roughly doubles the cost.",
    violating=[Example({"engine": "postgres"}, note="unset means a single Availability Zone"),
               Example({"engine": "postgres", "multiAz": False})],
    compliant=[Example({"engine": "postgres", "multiAz": True}),
               Example({"replicateSourceDb": "reporting-db-0a1b2c3"},
                       note="a read replica is itself a copy of its source in another place")],
)
def rds_multi_az(r):
    if r.props.is_set("replicateSourceDb"):
        return
    if r.props.get_bool("multiAz") is not True:
        yield f"multiAz is {r.props.show('multiAz')}: one Availability Zone outage takes the database down."


# Families whose parameter groups carry `rds.force_ssl`. RDS for PostgreSQL 15 and later default it to 1;
# older RDS majors and Aurora PostgreSQL default it to 0 (RDS User Guide, "Requiring an SSL connection to a
# PostgreSQL DB instance"; Aurora User Guide, "Securing Aurora PostgreSQL data with SSL/TLS").
_POSTGRES_FAMILY = re.compile(r"^(?P<aurora>aurora-)?postgres(?:ql)?(?P<major>\d+)?", re.IGNORECASE)
_FORCE_SSL_DEFAULT_ON_FROM = 15


@resource_policy(
    name="rds-force-ssl",
    description="PostgreSQL parameter groups must refuse connections without TLS (rds.force_ssl = 1).",
    resource_types=T.RDS_PARAMETER_GROUP + T.RDS_CLUSTER_PARAMETER_GROUP,
    severity="high", group="hipaa",
    citation=("164.312(e)(1)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)", "164.312(e)(2)(i)"),
    remediation="Add the parameter rds.force_ssl with value '1' to the (cluster) parameter group and attach "
                "the group to the database; clients must then connect with sslmode=require or stricter.",
    violating=[
        Example({"family": "postgres14", "parameters": [{"name": "log_connections", "value": "1"}]},
                note="RDS for PostgreSQL 14 and older default rds.force_ssl to 0"),
        Example({"family": "postgres16", "parameters": [{"name": "rds.force_ssl", "value": "0"}]}),
        Example({"family": "aurora-postgresql15"}, type="aws:rds/clusterParameterGroup:ClusterParameterGroup",
                note="Aurora PostgreSQL defaults rds.force_ssl to 0"),
    ],
    compliant=[
        Example({"family": "postgres14", "parameters": [{"name": "rds.force_ssl", "value": "1",
                                                         "applyMethod": "pending-reboot"}]}),
        Example({"family": "aurora-postgresql16", "parameters": [{"name": "rds.force_ssl", "value": "1"}]},
                type="aws:rds/clusterParameterGroup:ClusterParameterGroup"),
        Example({"family": "postgres16"}, note="RDS for PostgreSQL 15 and later default rds.force_ssl to 1"),
        Example({"family": "mysql8.0"}, note="not PostgreSQL: MySQL uses require_secure_transport"),
        Example({"family": "aurora-postgresql16", "parameters": [{"name": "log_min_duration_statement",
                                                                  "value": "2000"}]},
                note="Aurora PostgreSQL sets rds.force_ssl in the cluster parameter group, not the instance one"),
    ],
)
def rds_force_ssl(r):
    family = _POSTGRES_FAMILY.match(r.props.get_str("family") or "")
    if family is None:
        return
    if family.group("aurora") and r.type in T.RDS_PARAMETER_GROUP:
        # a cluster-level parameter for Aurora (Aurora User Guide, "Amazon Aurora PostgreSQL parameters"): the
        # cluster parameter group is judged instead
        return
    for i, parameter in enumerate(r.props.each("parameters")):
        if (parameter.get_str("name") or "").strip().lower() == "rds.force_ssl":
            if str(parameter.get("value")).strip() not in ("1", "1.0"):
                yield (f"parameter {r.props.show(f'parameters.{i}.name')} is "
                       f"{r.props.show(f'parameters.{i}.value')}: PostgreSQL accepts unencrypted connections; set it to 1.")
            return
    major = int(family.group("major")) if family.group("major") else None
    if family.group("aurora") or major is None or major < _FORCE_SSL_DEFAULT_ON_FROM:
        yield (f"family {r.props.show('family')} defaults rds.force_ssl to 0, so unencrypted connections are "
               "accepted; add the parameter rds.force_ssl = 1.")


# -- issue 9: AWS Config HIPAA conformance pack rules for RDS ----------------------------------------------
from policypack import data  # noqa: E402 - kept inside this block for merges
from policypack import hipaa_controls as C  # noqa: E402
from policypack.relations import names_of, referrers_named  # noqa: E402
from policypack.policy import stack_policy  # noqa: E402

_CLUSTER, _CLUSTER_INSTANCE = T.RDS_CLUSTER[0], T.RDS_CLUSTER_INSTANCE[0]


@resource_policy(
    name="rds-automatic-minor-version-upgrade-enabled",
    description="RDS instances should take minor engine upgrades (security patches) automatically.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER_INSTANCE,
    severity="medium", group="hipaa", citation=C.PATCHING, enforcement="advisory",
    aws_config_rules=("rds-automatic-minor-version-upgrade-enabled",),
    remediation="Set auto_minor_version_upgrade=True (the default) and a preferred_maintenance_window.",
    violating=[Example({"engine": "postgres", "autoMinorVersionUpgrade": False}),
               Example({"engine": "aurora-postgresql", "autoMinorVersionUpgrade": False}, type=_CLUSTER_INSTANCE)],
    compliant=[Example({"engine": "postgres"}, note="unset means true"),
               Example({"engine": "postgres", "autoMinorVersionUpgrade": True})],
)
def rds_automatic_minor_version_upgrade_enabled(r):
    if r.props.get_bool("autoMinorVersionUpgrade") is False:
        yield "autoMinorVersionUpgrade is false: engine security patches wait for a manual upgrade."


@rds_automatic_minor_version_upgrade_enabled.remediator
def _(r):
    return {"autoMinorVersionUpgrade": True}


def _deletion_protection(r):
    if r.props.get_bool("deletionProtection") is not True:
        yield (f"deletionProtection is {r.props.show('deletionProtection')}: one API call (or a replacing "
               "update) can delete the database.")


@resource_policy(
    name="rds-cluster-deletion-protection-enabled",
    description="RDS clusters should have deletion protection on.",
    resource_types=T.RDS_CLUSTER,
    severity="medium", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("rds-cluster-deletion-protection-enabled",),
    remediation="Set deletion_protection=True; turn it off deliberately before a planned deletion.",
    violating=[Example({"engine": "aurora-postgresql"}, note="unset means false"),
               Example({"engine": "aurora-mysql", "deletionProtection": False})],
    compliant=[Example({"engine": "aurora-postgresql", "deletionProtection": True})],
)
def rds_cluster_deletion_protection_enabled(r):
    yield from _deletion_protection(r)


@rds_cluster_deletion_protection_enabled.remediator
def _(r):
    return {"deletionProtection": True}


@resource_policy(
    name="rds-instance-deletion-protection-enabled",
    description="RDS instances should have deletion protection on.",
    resource_types=T.RDS_INSTANCE,
    severity="medium", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("rds-instance-deletion-protection-enabled",),
    remediation="Set deletion_protection=True; turn it off deliberately before a planned deletion.",
    violating=[Example({"engine": "postgres"}, note="unset means false"),
               Example({"engine": "mysql", "deletionProtection": False})],
    compliant=[Example({"engine": "postgres", "deletionProtection": True})],
)
def rds_instance_deletion_protection_enabled(r):
    yield from _deletion_protection(r)


@rds_instance_deletion_protection_enabled.remediator
def _(r):
    return {"deletionProtection": True}


@resource_policy(
    name="rds-enhanced-monitoring-enabled",
    description="RDS instances should publish Enhanced Monitoring (OS-level) metrics.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER_INSTANCE,
    severity="low", group="hipaa", citation=C.AUDIT, enforcement="advisory",
    aws_config_rules=("rds-enhanced-monitoring-enabled",),
    remediation="Set monitoring_interval (1, 5, 10, 15, 30 or 60 seconds) and monitoring_role_arn to a role with "
                "the AmazonRDSEnhancedMonitoringRole managed policy.",
    violating=[Example({"engine": "postgres"}, note="unset means 0: off"),
               Example({"engine": "postgres", "monitoringInterval": 0}, type=_CLUSTER_INSTANCE)],
    compliant=[Example({"engine": "postgres", "monitoringInterval": 60,
                        "monitoringRoleArn": "arn:aws:iam::210987654321:role/rds-monitoring"})],
)
def rds_enhanced_monitoring_enabled(r):
    if (r.props.get_number("monitoringInterval") or 0) <= 0:
        yield f"monitoringInterval is {r.props.show('monitoringInterval')}: Enhanced Monitoring is off."


def _required_log_types(engine: str, by_engine) -> list:
    engine = engine.strip().lower()
    for key, types in by_engine.items():
        if key.lower() == engine or (key.endswith("-") and engine.startswith(key.lower())):
            return list(types)
    return []


@resource_policy(
    name="rds-logging-enabled",
    description="RDS instances and Aurora clusters must export their database logs to CloudWatch Logs.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER,
    severity="high", group="hipaa", citation=C.cite("308(a)(3)(ii)(A)", "308(a)(5)(ii)(C)", "312(b)"),
    aws_config_rules=("rds-logging-enabled",), data_sources=("rds_log_exports.json",),
    config_schema={"logTypesByEngine": {
        "type": "object", "default": data.rds_log_types_by_engine(),
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "description": "Log types each engine must export (a key ending in '-' matches engines with that prefix); "
                       "the default follows Security Hub RDS.9."}},
    remediation="Set enabled_cloudwatch_logs_exports to every log type of the engine (MySQL/MariaDB/Aurora MySQL: "
                "audit, error, general, slowquery; PostgreSQL: postgresql, upgrade; Aurora PostgreSQL: postgresql). "
                "Audit needs MARIADB_AUDIT_PLUGIN or server_audit_logging, general/slowquery need general_log/"
                "slow_query_log=1; pre-create the log groups encrypted and with retention.",
    violating=[
        Example({"engine": "postgres"}, note="nothing exported"),
        Example({"engine": "mysql", "enabledCloudwatchLogsExports": ["error", "slowquery"]}),
        Example({"engine": "aurora-postgresql", "enabledCloudwatchLogsExports": []}, type=_CLUSTER),
    ],
    compliant=[
        Example({"engine": "postgres", "enabledCloudwatchLogsExports": ["postgresql", "upgrade"]}),
        Example({"engine": "aurora-mysql", "enabledCloudwatchLogsExports": ["audit", "error", "general", "slowquery"]},
                type=_CLUSTER),
        Example({"engine": "aurora-postgresql"}, note="an Aurora instance: its cluster exports the logs"),
        Example({"engine": "postgres", "dbClusterInstanceClass": "db.m6gd.large"}, type=_CLUSTER,
                note="a Multi-AZ DB cluster of RDS for PostgreSQL: not Aurora, outside this rule"),
    ],
)
def rds_logging_enabled(r):
    engine = (r.props.get_str("engine") or "").lower()
    is_aurora = engine.startswith("aurora")
    if (r.type in T.RDS_CLUSTER) != is_aurora:
        return
    required = _required_log_types(engine, r.config["logTypesByEngine"])
    exported = {str(t).lower() for t in r.props.get_list("enabledCloudwatchLogsExports")}
    missing = [t for t in required if t.lower() not in exported]
    if missing:
        # The required types name the engine: list them only when the engine is not secret.
        what = f"{len(missing)} required log type(s)" if r.props.is_secret("engine") else ", ".join(missing)
        yield (f"enabledCloudwatchLogsExports is {r.props.show('enabledCloudwatchLogsExports')}: {what} of this "
               "engine not exported to CloudWatch Logs, so database activity is not retained for audit.")


@stack_policy(
    name="rds-cluster-multi-az-enabled",
    description="Aurora clusters should have instances in more than one Availability Zone.",
    resource_types=T.RDS_CLUSTER,
    severity="medium", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("rds-cluster-multi-az-enabled",),
    remediation="Add at least two aws.rds.ClusterInstance resources to the cluster and leave availability_zone "
                "unset (RDS spreads them) or set different zones; a reader in another zone is the failover target.",
    violating=[
        Example({"engine": "aurora-postgresql", "clusterIdentifier": "records"}, name="records",
                stack=[{"type": _CLUSTER_INSTANCE, "name": "writer", "property_dependencies": {"clusterIdentifier": ["records"]},
                        "props": {"clusterIdentifier": "records", "instanceClass": "db.r6g.large"}}],
                note="one instance"),
        Example({"engine": "aurora-mysql", "clusterIdentifier": "records"}, name="records",
                stack=[{"type": _CLUSTER_INSTANCE, "name": f"i{n}", "props": {
                    "clusterIdentifier": "records", "availabilityZone": "us-east-1a"}} for n in range(2)],
                note="two instances pinned to one zone"),
    ],
    compliant=[
        Example({"engine": "aurora-postgresql", "clusterIdentifier": "records"}, name="records",
                stack=[{"type": _CLUSTER_INSTANCE, "name": f"i{n}", "props": {"clusterIdentifier": "records"}}
                       for n in range(2)]),
        Example({"engine": "postgres", "dbClusterInstanceClass": "db.m6gd.large"}, name="records",
                note="a Multi-AZ DB cluster spans three zones by design"),
        Example({"engine": "aurora-postgresql", "engineMode": "serverless"}, name="records",
                note="Aurora Serverless v1 fails over across zones itself"),
    ],
)
def rds_cluster_multi_az_enabled(cluster, stack):
    if cluster.props.is_set("dbClusterInstanceClass") or _is_serverless_v1(cluster):
        return
    if not (cluster.props.get_str("engine") or "").lower().startswith("aurora"):
        return
    instances = referrers_named(cluster, stack, T.RDS_CLUSTER_INSTANCE, "clusterIdentifier",
                          names_of(cluster, ("clusterIdentifier", "id")))
    zones = [i.props.get_str("availabilityZone") for i in instances]
    if len(instances) < 2:
        yield (f"the cluster has {len(instances)} instance(s) in this stack: when its zone fails there is no "
               "reader to fail over to.")
    elif all(z is not None for z in zones) and len({z.lower() for z in zones}) == 1:
        yield f"all {len(instances)} instances are pinned to one Availability Zone: a zone outage stops the cluster."


@resource_policy(
    name="rds-snapshots-public-prohibited",
    description="RDS snapshots must not be shared with every AWS account.",
    resource_types=T.RDS_SNAPSHOT + T.RDS_CLUSTER_SNAPSHOT,
    severity="critical", group="hipaa", citation=C.ACCESS_CONTROL, aws_config_rules=("rds-snapshots-public-prohibited",),
    remediation="Remove 'all' from shared_accounts; share with named account ids only, and encrypt the snapshot "
                "with a customer-managed key (encrypted snapshots cannot be public).",
    violating=[Example({"dbInstanceIdentifier": "records", "dbSnapshotIdentifier": "records-final",
                        "sharedAccounts": ["all"]}),
               Example({"dbClusterIdentifier": "records", "dbClusterSnapshotIdentifier": "records-final",
                        "sharedAccounts": ["210987654321", "ALL"]}, type=T.RDS_CLUSTER_SNAPSHOT[0])],
    compliant=[Example({"dbInstanceIdentifier": "records", "dbSnapshotIdentifier": "records-final",
                        "sharedAccounts": ["210987654321"]}),
               Example({"dbInstanceIdentifier": "records", "dbSnapshotIdentifier": "records-final"})],
)
def rds_snapshots_public_prohibited(r):
    if any(isinstance(a, str) and a.strip().lower() == "all" for a in r.props.get_list("sharedAccounts")):
        yield "sharedAccounts makes the snapshot public: any AWS account can copy and restore it."


@rds_snapshots_public_prohibited.remediator
def _(r):
    accounts = r.props.get_list("sharedAccounts")
    return {"sharedAccounts": [a for a in accounts if not (isinstance(a, str) and a.strip().lower() == "all")]}
