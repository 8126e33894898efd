"""Load balancers (Classic `elb` and `lb`/`alb`): cross-zone balancing, deletion protection, access logs."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="elb-cross-zone-load-balancing-enabled",
    description="Classic Load Balancers must balance across availability zones, so one zone's loss keeps service.",
    resource_types=T.ELB_LOAD_BALANCER,
    severity="low", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("elb-cross-zone-load-balancing-enabled",),
    remediation="Set cross_zone_load_balancing=True (the provider's default) on the aws.elb.LoadBalancer.",
    violating=[Example({"crossZoneLoadBalancing": False, "availabilityZones": ["us-east-1a", "us-east-1b"]})],
    compliant=[Example({"availabilityZones": ["us-east-1a"]}, note="unset = true"),
               Example({"crossZoneLoadBalancing": True})],
)
def elb_cross_zone_load_balancing_enabled(r):
    if r.props.get_bool("crossZoneLoadBalancing") is False:
        yield "crossZoneLoadBalancing is false: each zone's instances carry only that zone's traffic."


@elb_cross_zone_load_balancing_enabled.remediator
def _(r):
    return {"crossZoneLoadBalancing": True}


@resource_policy(
    name="elb-deletion-protection-enabled",
    description="Application, Network and Gateway Load Balancers must have deletion protection on.",
    resource_types=T.LB_LOAD_BALANCER,
    severity="low", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("elb-deletion-protection-enabled",),
    remediation="Set enable_deletion_protection=True on the aws.lb.LoadBalancer.",
    violating=[Example({"loadBalancerType": "application"}, note="unset = false"),
               Example({"enableDeletionProtection": False})],
    compliant=[Example({"enableDeletionProtection": True})],
)
def elb_deletion_protection_enabled(r):
    if r.props.get_bool("enableDeletionProtection") is not True:
        yield (f"enableDeletionProtection is {r.props.show('enableDeletionProtection')}: "
               "the load balancer can be deleted by mistake.")


@elb_deletion_protection_enabled.remediator
def _(r):
    return {"enableDeletionProtection": True}


@resource_policy(
    name="elb-logging-enabled",
    description="Application and Classic Load Balancers must write access logs to S3.",
    resource_types=T.LB_LOAD_BALANCER + T.ELB_LOAD_BALANCER,
    severity="medium", group="hipaa", citation=C.AUDIT,
    aws_config_rules=("elb-logging-enabled",),
    remediation="Set access_logs={'bucket': <log bucket>, 'enabled': True} (the bucket policy must admit the "
                "ELB log delivery principal of the region; ALB log buckets take SSE-S3 only).",
    violating=[Example({"loadBalancerType": "application"}, note="no accessLogs block"),
               Example({"accessLogs": {"bucket": "alb-logs"}}, note="lb: enabled unset = false"),
               Example({"listeners": [], "accessLogs": {"bucket": "elb-logs", "enabled": False}},
                       type=T.ELB_LOAD_BALANCER[0]),
               Example({"listeners": []}, type=T.ELB_LOAD_BALANCER[0], note="elb: no block = off")],
    compliant=[Example({"accessLogs": {"bucket": "alb-logs", "enabled": True}}),
               Example({"loadBalancerType": "network"}, note="only application load balancers are checked"),
               Example({"accessLogs": {"bucket": "elb-logs"}}, type=T.ELB_LOAD_BALANCER[0],
                       note="elb: enabled unset = true")],
)
def elb_logging_enabled(r):
    classic = r.type in T.ELB_LOAD_BALANCER
    if not classic and (r.props.get_str("loadBalancerType") or "application").lower() != "application":
        return
    enabled = r.props.get_bool("accessLogs.enabled")
    if not r.props.is_set("accessLogs.bucket"):
        yield f"accessLogs.bucket is {r.props.absence('accessLogs.bucket')}: the load balancer writes no access logs."
    elif enabled is False or (enabled is None and not classic):
        yield f"accessLogs.enabled is {r.props.show('accessLogs.enabled')}: access logging is off."
