"""Auto Scaling: groups behind load balancers use their health checks; launch configurations add no public IP."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.relations import names_of, referrers_named
from policypack.policy import Example, resource_policy, stack_policy

_ATTACHMENTS = T.AUTOSCALING_ATTACHMENT + T.AUTOSCALING_TRAFFIC_SOURCE_ATTACHMENT


@stack_policy(
    name="autoscaling-group-elb-healthcheck-required",
    description="Auto Scaling groups behind a load balancer should use its health checks (healthCheckType ELB).",
    resource_types=T.AUTOSCALING_GROUP,
    severity="medium", group="hipaa", citation=C.AUDIT, enforcement="advisory",
    aws_config_rules=("autoscaling-group-elb-healthcheck-required",),
    remediation="Set health_check_type='ELB' (with a health_check_grace_period long enough for start-up), so "
                "instances the load balancer finds unhealthy are replaced.",
    violating=[
        Example({"name": "web", "targetGroupArns": ["arn:aws:elasticloadbalancing:us-east-1:210987654321:"
                                                    "targetgroup/web/0123456789abcdef"]}, name="web",
                note="healthCheckType unset means EC2"),
        Example({"name": "web", "healthCheckType": "EC2"}, name="web",
                stack=[{"type": T.AUTOSCALING_ATTACHMENT[0], "name": "att", "props": {
                    "autoscalingGroupName": "web", "lbTargetGroupArn": "arn:aws:elasticloadbalancing:tg"}}],
                note="attached by a separate aws.autoscaling.Attachment"),
    ],
    compliant=[
        Example({"name": "web", "targetGroupArns": ["arn:tg"], "healthCheckType": "ELB"}, name="web"),
        Example({"name": "workers"}, name="workers", note="no load balancer: EC2 status checks are all there is"),
    ],
)
def autoscaling_group_elb_healthcheck_required(group, stack):
    balanced = any(group.props.get_list(p) for p in ("loadBalancers", "targetGroupArns", "trafficSources"))
    if not balanced:
        balanced = bool(referrers_named(group, stack, _ATTACHMENTS, "autoscalingGroupName", names_of(group, ("name", "id"))))
    if balanced and (group.props.get_str("healthCheckType") or "EC2").upper() != "ELB":
        yield (f"healthCheckType is {group.props.show('healthCheckType')} (instance status checks only) although the "
               "group serves a load balancer: instances failing the load balancer's health check are kept.")


@resource_policy(
    name="autoscaling-launch-config-public-ip-disabled",
    description="Auto Scaling launch configurations must not give instances a public IP address.",
    resource_types=T.EC2_LAUNCH_CONFIGURATION,
    severity="high", group="hipaa", citation=C.cite(C.ACCESS_CONTROL, "308(a)(3)(ii)(B)"),
    aws_config_rules=("autoscaling-launch-config-public-ip-disabled",),
    remediation="Set associate_public_ip_address=False (or leave it unset and use private subnets); better, "
                "move to a launch template.",
    violating=[Example({"imageId": "ami-0abc", "instanceType": "t3.micro", "associatePublicIpAddress": True})],
    compliant=[Example({"imageId": "ami-0abc", "associatePublicIpAddress": False}),
               Example({"imageId": "ami-0abc"}, note="unset: the subnet decides")],
)
def autoscaling_launch_config_public_ip_disabled(r):
    if r.props.get_bool("associatePublicIpAddress") is True:
        yield "associatePublicIpAddress is true: every instance of the group is reachable from the internet."
