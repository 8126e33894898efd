"""VPC subnets that hand out public IPs, and security groups open to the internet beyond an allow-list."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy
from policypack.policies.ec2 import ALL_PROTOCOLS, _is_internet


@resource_policy(
    name="subnet-auto-assign-public-ip-disabled",
    description="Subnets must not give every instance launched in them a public IP address.",
    resource_types=T.EC2_SUBNET + T.EC2_DEFAULT_SUBNET,
    severity="medium", group="hipaa", citation=C.ACCESS_CONTROL, enforcement="advisory",
    aws_config_rules=("subnet-auto-assign-public-ip-disabled",),
    remediation="Set map_public_ip_on_launch=False; NAT gateways and load balancers do not need it.",
    violating=[Example({"vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24", "mapPublicIpOnLaunch": True}),
               Example({"availabilityZone": "us-east-1a"}, type=T.EC2_DEFAULT_SUBNET[0],
                       note="a default subnet keeps AWS's true")],
    compliant=[Example({"vpcId": "vpc-1", "cidrBlock": "10.0.0.0/24"}, note="unset = false"),
               Example({"availabilityZone": "us-east-1a", "mapPublicIpOnLaunch": False},
                       type=T.EC2_DEFAULT_SUBNET[0])],
)
def subnet_auto_assign_public_ip_disabled(r):
    value = r.props.get_bool("mapPublicIpOnLaunch")
    if value is True or (value is None and r.type in T.EC2_DEFAULT_SUBNET):
        yield (f"mapPublicIpOnLaunch is {r.props.show('mapPublicIpOnLaunch')}"
               f"{' (a default subnet: true)' if value is None else ''}: every instance launched here is "
               "reachable from the internet unless its security groups stop it.")


@subnet_auto_assign_public_ip_disabled.remediator
def _(r):
    return {"mapPublicIpOnLaunch": False}


def ingress_rules(r):
    """(message prefix, rule view, CIDR keys, protocol key) of every ingress rule a resource declares: the
    three shapes security-group policies read (inline `ingress`, SecurityGroupRule, SecurityGroupIngressRule)."""
    if r.type in T.EC2_SECURITY_GROUP:
        for i, rule in enumerate(r.props.each("ingress")):
            yield f"ingress.{i}.", rule, ("cidrBlocks", "ipv6CidrBlocks"), "protocol"
    elif r.type in T.EC2_SECURITY_GROUP_RULE:
        if (r.props.get_str("type") or "").lower() == "ingress":
            yield "", r.props, ("cidrBlocks", "ipv6CidrBlocks"), "protocol"
    else:
        yield "", r.props, ("cidrIpv4", "cidrIpv6"), "ipProtocol"


_PROTOCOLS = {"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp"}


def _protocol(rule, key) -> str:
    raw = rule.get(key)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw if raw is not None else "").strip().lower()


@resource_policy(
    name="vpc-sg-open-only-to-authorized-ports",
    description="Security groups may admit the internet only to an allow-list of ports (default TCP 80, 443).",
    resource_types=T.EC2_SECURITY_GROUP + T.EC2_SECURITY_GROUP_RULE + T.VPC_SECURITY_GROUP_INGRESS_RULE,
    severity="medium", group="hipaa", citation="164.312(e)(1)", enforcement="advisory",
    aws_config_rules=("vpc-sg-open-only-to-authorized-ports",),
    config_schema={
        "authorizedTcpPorts": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                               "default": [80, 443], "description": "TCP ports the internet may reach."},
        "authorizedUdpPorts": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                               "default": [], "description": "UDP ports the internet may reach."}},
    remediation="Admit the internet only on the listed ports (put other services behind a load balancer or "
                "admit only the clients' security groups / private ranges).",
    violating=[Example({"ingress": [{"protocol": "tcp", "fromPort": 8080, "toPort": 8080, "cidrBlocks": ["0.0.0.0/0"]}]}),
               Example({"ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]},
                       note="all protocols"),
               Example({"ipProtocol": "udp", "fromPort": 53, "toPort": 53, "cidrIpv6": "::/0",
                        "securityGroupId": "sg-0a1b2c3d"}, type=T.VPC_SECURITY_GROUP_INGRESS_RULE[0])],
    compliant=[Example({"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]},
                                    {"protocol": "tcp", "fromPort": 5432, "toPort": 5432,
                                     "cidrBlocks": ["10.0.0.0/16"]}]}),
               Example({"type": "ingress", "protocol": "udp", "fromPort": 53, "toPort": 53,
                        "cidrBlocks": ["0.0.0.0/0"], "securityGroupId": "sg-1"}, type=T.EC2_SECURITY_GROUP_RULE[0],
                       config={"authorizedUdpPorts": [53]})],
)
def vpc_sg_open_only_to_authorized_ports(r):
    allowed = {"tcp": set(r.config["authorizedTcpPorts"]), "udp": set(r.config["authorizedUdpPorts"])}
    for prefix, rule, cidr_keys, protocol_key in ingress_rules(r):
        if not any(_is_internet(c) for k in cidr_keys for c in rule.get_list(k)):
            continue
        protocol = _protocol(rule, protocol_key)
        where = prefix.rstrip(".") or "the rule"
        if protocol in ALL_PROTOCOLS:
            yield f"{where} admits the internet on every protocol and port."
            continue
        kind = _PROTOCOLS.get(protocol)
        if kind is None:
            continue  # ICMP and others carry no port
        low, high = rule.get_number("fromPort"), rule.get_number("toPort")
        if low is None or high is None:
            continue
        ports = set(range(int(low), int(high) + 1)) if 0 <= low <= high <= 65535 else {-1}
        if not ports <= allowed[kind]:
            yield (f"{where} admits the internet on protocol {r.props.show(prefix + protocol_key)} ports "
                   f"{r.props.show(f'{prefix}fromPort')}-{r.props.show(f'{prefix}toPort')}, outside the "
                   "authorized ports.")
