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
    severity="high", group="hipaa", citation="164.312(a)(2)(iv)",
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
    severity="medium", group="hipaa", citation="164.308(a)(7)(ii)(A)",
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
    severity="critical", group="hipaa", citation="164.312(a)(1)",
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
    severity="medium", group="hipaa", citation="164.308(a)(7)", enforcement="advisory",
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
    severity="high", group="hipaa", citation="164.312(e)(1)",
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
    ],
)
def rds_force_ssl(r):
    family = _POSTGRES_FAMILY.match(r.props.get_str("family") or "")
    if family is None:
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
