"""DMS: replication instances without public addresses."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="dms-replication-not-public",
    description="DMS replication instances must not be publicly accessible.",
    resource_types=T.DMS_REPLICATION_INSTANCE,
    severity="critical", group="hipaa", citation=C.ACCESS_CONTROL, aws_config_rules=("dms-replication-not-public",),
    remediation="Set publicly_accessible=False (the instance is recreated) and reach sources and targets through "
                "the VPC, VPN or Direct Connect.",
    violating=[Example({"replicationInstanceId": "migrate", "replicationInstanceClass": "dms.t3.medium",
                        "publiclyAccessible": True})],
    compliant=[Example({"replicationInstanceId": "migrate", "publiclyAccessible": False}),
               Example({"replicationInstanceId": "migrate"},
                       note="unset: the provider sends false (the API's own default, true, applies elsewhere)")],
)
def dms_replication_not_public(r):
    if r.props.get_bool("publiclyAccessible") is True:
        yield "publiclyAccessible is true: the replication instance, which reads the source data, is internet-facing."
