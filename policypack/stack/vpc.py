"""VPCs and what guards them: flow logs, a closed default security group, internet gateways only where
authorized, no route to the internet outside authorized route tables; WAF web ACLs with logging."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import fed_by, identifiers, referrers
from policypack.values import UNKNOWN

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_VPC = {"cidrBlock": "10.0.0.0/16"}
_ACL_ARN = "arn:aws:wafv2:us-east-1:210987654321:regional/webacl/portal/1a2b3c4d"
INTERNET = ("0.0.0.0/0", "::/0")


@stack_policy(
    name="vpc-flow-logs-enabled",
    description="VPCs must record flow logs.",
    resource_types=T.EC2_VPC,
    severity="medium", group="hipaa", citation=C.AUDIT_AND_REVIEW,
    aws_config_rules=("vpc-flow-logs-enabled",), managed_elsewhere=True,
    config_schema={"trafficType": {"type": "string", "enum": ["ANY", "ACCEPT", "REJECT", "ALL"], "default": "ANY",
                                   "description": "Traffic the flow log must capture (ALL covers both; ANY: any)."}},
    remediation="Add an aws.ec2.FlowLog with vpc_id=<this VPC>, traffic_type 'ALL' and a CloudWatch Logs or S3 "
                "destination.",
    violating=[Example(_VPC, name="vpc"),
               Example(_VPC, name="vpc", stack=[{"type": T.EC2_FLOW_LOG[0], "name": "subnet-log",
                                                 "props": {"subnetId": "subnet-1", "trafficType": "ALL"}}],
                       note="a subnet's flow log does not count"),
               Example(_VPC, name="vpc", config={"trafficType": "ALL"},
                       stack=[{"type": T.EC2_FLOW_LOG[0], "name": "log", "property_dependencies": {"vpcId": ["vpc"]},
                               "props": {"vpcId": U, "trafficType": "REJECT"}}])],
    compliant=[Example(_VPC, name="vpc", stack=[{"type": T.EC2_FLOW_LOG[0], "name": "log",
                                                 "property_dependencies": {"vpcId": ["vpc"]},
                                                 "props": {"vpcId": U, "trafficType": "ALL"}}]),
               Example({**_VPC, "id": "vpc-0abc"}, name="vpc", stack=[
                   {"type": T.EC2_FLOW_LOG[0], "name": "log", "props": {"vpcId": "vpc-0abc", "trafficType": "REJECT"}}]),
               Example(_VPC, name="vpc", config={"managedElsewhere": True})],
)
def vpc_flow_logs_enabled(vpc, stack):
    logs = referrers(stack, vpc, T.EC2_FLOW_LOG, "vpcId", ("id",))
    if not logs:
        if not vpc.config["managedElsewhere"]:
            yield "no flow log records this VPC's traffic."
        return
    wanted = vpc.config["trafficType"].upper()
    if wanted == "ANY":
        return
    kinds = {(log.props.get_str("trafficType") or "").upper() for log in logs}
    if wanted not in kinds and "ALL" not in kinds:
        yield f"no flow log of this VPC captures {wanted} traffic."


@stack_policy(
    name="vpc-default-security-group-closed",
    description="A VPC's default security group must admit and send nothing.",
    resource_types=T.EC2_VPC,
    severity="low", group="hipaa", citation="164.312(e)(1)", enforcement="advisory",
    aws_config_rules=("vpc-default-security-group-closed",), managed_elsewhere=True,
    remediation="Add an aws.ec2.DefaultSecurityGroup with vpc_id=<this VPC> and no ingress or egress: Pulumi "
                "then removes AWS's default rules.",
    violating=[Example(_VPC, name="vpc", note="no DefaultSecurityGroup: AWS's rules stay"),
               Example(_VPC, name="vpc", stack=[{"type": T.EC2_DEFAULT_SECURITY_GROUP[0], "name": "default-sg",
                                                 "property_dependencies": {"vpcId": ["vpc"]},
                                                 "props": {"vpcId": U, "egress": [
                                                     {"protocol": "-1", "fromPort": 0, "toPort": 0,
                                                      "cidrBlocks": ["0.0.0.0/0"]}]}}])],
    compliant=[Example(_VPC, name="vpc", stack=[{"type": T.EC2_DEFAULT_SECURITY_GROUP[0], "name": "default-sg",
                                                 "property_dependencies": {"vpcId": ["vpc"]},
                                                 "props": {"vpcId": U}}]),
               Example(_VPC, name="vpc", config={"managedElsewhere": True})],
)
def vpc_default_security_group_closed(vpc, stack):
    groups = referrers(stack, vpc, T.EC2_DEFAULT_SECURITY_GROUP, "vpcId", ("id",))
    if not groups:
        if not vpc.config["managedElsewhere"]:
            yield "no DefaultSecurityGroup closes this VPC's default security group: it admits its own members."
        return
    for group in groups:
        if group.props.get_list("ingress") or group.props.get_list("egress"):
            yield "the default security group keeps ingress or egress rules: it should allow nothing."


def _authorized(resource, ids_key: str, names) -> bool:
    """Whether a reference (`vpcId`, a route table) names a resource listed by id or by name."""
    wanted = set(names)
    if not wanted:
        return False
    value = resource.props.peek(ids_key)
    if isinstance(value, str) and value in wanted:
        return True
    return any(r.name in wanted or identifiers(r) & wanted for r in resource.depends_on_prop(ids_key))


@stack_policy(
    name="internet-gateway-authorized-vpc-only",
    description="Internet gateways may be attached only to authorized VPCs.",
    resource_types=T.EC2_INTERNET_GATEWAY + T.EC2_INTERNET_GATEWAY_ATTACHMENT,
    severity="low", group="hipaa", citation="164.312(a)(1)", enforcement="advisory",
    aws_config_rules=("internet-gateway-authorized-vpc-only",),
    config_schema={"authorizedVpcIds": {"type": "array", "items": {"type": "string"}, "default": [],
                                        "description": "VPC ids or Pulumi names of ec2.Vpc resources that may "
                                                       "have an internet gateway (empty: none, as AWS's pack)."}},
    remediation="Attach internet gateways only to public-facing VPCs and list them in authorizedVpcIds.",
    violating=[Example({"vpcId": "vpc-0abc"}, name="igw")],
    compliant=[Example({"vpcId": U}, name="igw", config={"authorizedVpcIds": ["edge"]},
                       property_dependencies={"vpcId": ["edge"]},
                       stack=[{"type": T.EC2_VPC[0], "name": "edge", "props": _VPC}]),
               Example({}, name="igw", note="not attached")],
)
def internet_gateway_authorized_vpc_only(gateway, stack):
    if not gateway.props.is_set("vpcId"):
        return
    if not _authorized(gateway, "vpcId", gateway.config["authorizedVpcIds"]):
        yield (f"internet gateway attached to VPC {gateway.props.show('vpcId')}, which is not in "
               "authorizedVpcIds.")


def _is_igw(value, fed_by_igw: bool) -> bool:
    """A gateway id that is an internet gateway: `igw-...`, or (unknown at preview) fed by an
    ec2.InternetGateway. Only igw- targets count (not NAT, local, egress-only or virtual private gateways)."""
    if isinstance(value, str) and value.startswith("igw-"):
        return True
    return fed_by_igw and (value is UNKNOWN or isinstance(value, str))


def _open_routes(resource):
    """(path, destination) of the routes to the internet through an internet gateway."""
    if resource.type in T.EC2_ROUTE:
        for key in ("destinationCidrBlock", "destinationIpv6CidrBlock"):
            if resource.props.get_str(key) in INTERNET and _is_igw(
                    resource.props.peek("gatewayId"), bool(fed_by(resource, "gatewayId", T.EC2_INTERNET_GATEWAY))):
                yield key
        return
    fed_by_igw = bool(fed_by(resource, "routes", T.EC2_INTERNET_GATEWAY))
    for i, route in enumerate(resource.props.each("routes")):
        for key in ("cidrBlock", "ipv6CidrBlock"):
            if route.get_str(key) in INTERNET and _is_igw(route.peek("gatewayId"), fed_by_igw):
                yield f"routes.{i}.{key}"


@stack_policy(
    name="no-unrestricted-route-to-igw",
    description="Route tables must not send 0.0.0.0/0 or ::/0 to an internet gateway unless authorized.",
    resource_types=T.EC2_ROUTE + T.EC2_ROUTE_TABLE,
    severity="low", group="hipaa", citation="164.312(e)(1)", enforcement="advisory",
    aws_config_rules=("no-unrestricted-route-to-igw",),
    config_schema={"authorizedRouteTables": {"type": "array", "items": {"type": "string"}, "default": [],
                                             "description": "Route table ids or Pulumi names that may route to "
                                                            "the internet (the public subnets' tables)."}},
    remediation="Route private subnets through a NAT gateway; list the public route tables in "
                "authorizedRouteTables.",
    violating=[Example({"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-0abc"},
                       name="default-route"),
               Example({"vpcId": "vpc-1", "routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": U}]},
                       type=T.EC2_ROUTE_TABLE[0], name="rt", property_dependencies={"routes": ["igw"]},
                       stack=[{"type": T.EC2_INTERNET_GATEWAY[0], "name": "igw", "props": {"vpcId": "vpc-1"}}])],
    compliant=[Example({"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-1"},
                       name="default-route"),
               Example({"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-0abc"},
                       name="default-route", config={"authorizedRouteTables": ["rtb-1"]}),
               Example({"vpcId": "vpc-1", "routes": [{"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-0abc"}]},
                       type=T.EC2_ROUTE_TABLE[0], name="public-rt", config={"authorizedRouteTables": ["public-rt"]})],
)
def no_unrestricted_route_to_igw(route, stack):
    authorized = route.config["authorizedRouteTables"]
    if route.type in T.EC2_ROUTE_TABLE:
        if route.name in authorized or identifiers(route, ("id",)) & set(authorized):
            return
    elif _authorized(route, "routeTableId", authorized):
        return
    for path in _open_routes(route):
        yield f"{path} {route.props.show(path)} goes to an internet gateway: this table's subnets are public."


@stack_policy(
    name="wafv2-logging-enabled",
    description="WAF web ACLs must log the requests they inspect.",
    resource_types=T.WAFV2_WEB_ACL,
    severity="medium", group="hipaa", citation=C.AUDIT,
    aws_config_rules=("wafv2-logging-enabled",), managed_elsewhere=True,
    remediation="Add an aws.wafv2.WebAclLoggingConfiguration with resource_arn=<web ACL arn> and a log "
                "destination (a log group named aws-waf-logs-*).",
    violating=[Example({"scope": "REGIONAL", "arn": _ACL_ARN}, name="acl")],
    compliant=[Example({"scope": "REGIONAL", "arn": U}, name="acl", stack=[
                   {"type": T.WAFV2_LOGGING[0], "name": "acl-logs", "property_dependencies": {"resourceArn": ["acl"]},
                    "props": {"resourceArn": U, "logDestinationConfigs": [U]}}]),
               Example({"scope": "REGIONAL", "arn": _ACL_ARN}, name="acl", config={"managedElsewhere": True},
                       note="Firewall Manager logs it")],
)
def wafv2_logging_enabled(acl, stack):
    if referrers(stack, acl, T.WAFV2_LOGGING, "resourceArn", ("arn",)) or acl.config["managedElsewhere"]:
        return
    yield "no logging configuration names this web ACL: blocked and allowed requests leave no record."
