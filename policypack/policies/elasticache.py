"""ElastiCache: encryption at rest and in transit."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="elasticache-at-rest-encryption",
    description="ElastiCache replication groups must encrypt data at rest.",
    resource_types=T.ELASTICACHE_REPLICATION_GROUP,
    severity="high", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    remediation="Set at_rest_encryption_enabled=True (and kms_key_id for a customer-managed key).",
    violating=[Example({"engine": "redis"}), Example({"engine": "redis", "atRestEncryptionEnabled": False})],
    compliant=[Example({"engine": "redis", "atRestEncryptionEnabled": True}),
               Example({"engine": "valkey"}, note="Valkey encrypts at rest by default")],
)
def elasticache_at_rest_encryption(r):
    enabled = r.props.get_bool("atRestEncryptionEnabled")
    if enabled is None and (r.props.get_str("engine") or "").lower() == "valkey":
        return
    if enabled is not True:
        yield f"atRestEncryptionEnabled is {r.props.show('atRestEncryptionEnabled')}: cached data is stored unencrypted."


@elasticache_at_rest_encryption.remediator
def _(r):
    return {"atRestEncryptionEnabled": True}


@resource_policy(
    name="elasticache-transit-encryption",
    description="ElastiCache replication groups must require TLS in transit.",
    resource_types=T.ELASTICACHE_REPLICATION_GROUP,
    severity="high", group="hipaa",
    citation=("164.312(e)(1)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)", "164.312(e)(2)(i)"),
    remediation="Set transit_encryption_enabled=True (with transit_encryption_mode 'required', the default), "
                "and connect clients over TLS.",
    violating=[Example({"engine": "redis"}), Example({"transitEncryptionEnabled": False}),
               Example({"transitEncryptionEnabled": True, "transitEncryptionMode": "preferred"})],
    compliant=[Example({"transitEncryptionEnabled": True}),
               Example({"transitEncryptionEnabled": True, "transitEncryptionMode": "required"})],
)
def elasticache_transit_encryption(r):
    if r.props.get_bool("transitEncryptionEnabled") is not True:
        yield (f"transitEncryptionEnabled is {r.props.show('transitEncryptionEnabled')}: "
               "clients can read and write cached data in plaintext.")
    elif (r.props.get_str("transitEncryptionMode") or "").lower() == "preferred":
        yield (f"transitEncryptionMode is {r.props.show('transitEncryptionMode')}: unencrypted connections "
               "are still accepted; use 'required'.")


@elasticache_transit_encryption.remediator
def _(r):
    changes = {"transitEncryptionEnabled": True}
    if (r.props.get_str("transitEncryptionMode") or "").lower() == "preferred":
        changes["transitEncryptionMode"] = "required"
    return changes


# -- issue 9: AWS Config HIPAA conformance pack: automatic backups of Redis/Valkey ------------------------
from policypack import hipaa_controls as C  # noqa: E402 - kept inside this block for merges

ELASTICACHE_MAX_SNAPSHOT_DAYS = 35  # ElastiCache API reference, CreateReplicationGroup SnapshotRetentionLimit.


def _backs_up_itself(r) -> bool:
    """Redis or Valkey data the resource owns (a cluster inside a replication group is judged on the group)."""
    if r.type in T.ELASTICACHE_CLUSTER:
        if r.props.is_set("replicationGroupId"):
            return False
        return (r.props.get_str("engine") or "").lower() in ("redis", "valkey")
    return (r.props.get_str("engine") or "redis").lower() in ("redis", "valkey")


@resource_policy(
    name="elasticache-redis-cluster-automatic-backup-check",
    description="ElastiCache Redis and Valkey data must have automatic snapshots kept for at least the configured "
                "number of days.",
    resource_types=T.ELASTICACHE_REPLICATION_GROUP + T.ELASTICACHE_CLUSTER,
    severity="medium", group="hipaa", citation=C.BACKUP,
    aws_config_rules=("elasticache-redis-cluster-automatic-backup-check",),
    config_schema={"minimumDays": {"type": "integer", "default": 15, "minimum": 1,
                                   "maximum": ELASTICACHE_MAX_SNAPSHOT_DAYS,
                                   "description": "Fewest days of automatic snapshots (the AWS rule's default)."}},
    remediation="Set snapshot_retention_limit to at least minimumDays (default 15, at most 35) and a "
                "snapshot_window outside peak hours.",
    violating=[
        Example({"engine": "redis", "description": "sessions"}, note="unset means 0: no automatic snapshots"),
        Example({"engine": "valkey", "snapshotRetentionLimit": 7}),
        Example({"engine": "redis", "nodeType": "cache.t4g.small", "snapshotRetentionLimit": 1},
                type=T.ELASTICACHE_CLUSTER[0]),
    ],
    compliant=[
        Example({"engine": "redis", "snapshotRetentionLimit": 15}),
        Example({"engine": "redis", "snapshotRetentionLimit": 5}, config={"minimumDays": 5}),
        Example({"engine": "memcached"}, type=T.ELASTICACHE_CLUSTER[0], note="memcached keeps no data to back up"),
        Example({"replicationGroupId": "sessions"}, type=T.ELASTICACHE_CLUSTER[0],
                note="a member of a replication group: the group is checked"),
    ],
)
def elasticache_redis_cluster_automatic_backup_check(r):
    if not _backs_up_itself(r):
        return
    days = r.props.get_number("snapshotRetentionLimit") or 0
    if days < r.config["minimumDays"]:
        yield (f"snapshotRetentionLimit is {r.props.show('snapshotRetentionLimit')}: automatic snapshots are kept "
               f"for fewer than {r.config['minimumDays']} days (unset means none).")


@elasticache_redis_cluster_automatic_backup_check.remediator
def _(r):
    return {"snapshotRetentionLimit": min(ELASTICACHE_MAX_SNAPSHOT_DAYS, r.config["minimumDays"])}
