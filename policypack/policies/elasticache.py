"""ElastiCache: encryption at rest and in transit."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="elasticache-at-rest-encryption",
    description="ElastiCache replication groups must encrypt data at rest.",
    resource_types=T.ELASTICACHE_REPLICATION_GROUP,
    severity="high", group="hipaa", citation="164.312(a)(2)(iv)",
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
    severity="high", group="hipaa", citation="164.312(e)(1)",
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
