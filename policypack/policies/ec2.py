"""EC2 / VPC security groups: no database, cache or administration port open to the whole internet."""
import ipaddress

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, resource_policy
from policypack.values import unless_unknown

# A block this wide is the internet however it is spelled ("::0/0", "0.0.0.0/1" + "128.0.0.0/1", ...).
INTERNET_PREFIX_MAX = 1


def _is_internet(cidr: object) -> bool:
    if not isinstance(cidr, str):
        return False
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return False
    return network.prefixlen <= INTERNET_PREFIX_MAX
ALL_PROTOCOLS = ("-1", "all")
PORT_PROTOCOLS = ("tcp", "udp", "6", "17")


def _default_ports() -> list[int]:
    return sorted(data.data_ports())


def _covered_ports(rule, ports, protocol_key: str) -> list[int]:
    """The configured ports a rule's protocol and port range admit."""
    raw = rule.get(protocol_key)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # the wire turns every number into a float: 6.0 is TCP
    protocol = str(raw if raw is not None else "").strip().lower()
    if protocol in ALL_PROTOCOLS:
        return list(ports)
    if protocol not in PORT_PROTOCOLS:
        return []
    low, high = rule.get_number("fromPort"), rule.get_number("toPort")
    if low is None and high is None:
        return []
    low, high = (low if low is not None else high), (high if high is not None else low)
    if low < 0 and high < 0:  # -1/-1 with a port protocol: every port
        return list(ports)
    return [p for p in ports if low <= p <= high]


def _findings(r, rule, prefix: str, cidr_keys, protocol_key: str):
    """Messages for one ingress rule (raises Unknown when one of its values is not known yet)."""
    ports = _covered_ports(rule, r.config["ports"], protocol_key)
    if not ports:
        return
    for key in cidr_keys:
        for j, cidr in enumerate(rule.get_list(key)):
            if _is_internet(cidr):
                path = f"{prefix}{key}" + (f".{j}" if isinstance(rule.get(key), list) else "")
                names = data.data_ports()
                shown = ", ".join(f"{p} ({names[p]})" if p in names else str(p) for p in ports[:5])
                more = f" and {len(ports) - 5} more" if len(ports) > 5 else ""
                if any(rule.is_secret(k) for k in ("fromPort", "toPort", protocol_key)):
                    shown, more = "ports of a secret range", ""  # which ports would reveal the secret
                yield (f"{prefix.rstrip('.') or 'the rule'} admits {r.props.show(path)} to {shown}{more}: "
                       "a data or administration port open to the internet.")


_CONFIG = {"ports": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 65535},
                     "default": _default_ports(),
                     "description": "Ports that must never be open to 0.0.0.0/0 or ::/0 (default: database, "
                                    "cache, search, file-share and remote-administration ports, data/ports.json). A list "
                                    "given here replaces the defaults: repeat the ones to keep."}}


@resource_policy(
    name="security-group-no-public-data-ports",
    description="Security groups must not admit the internet to database, cache or administration ports.",
    resource_types=T.EC2_SECURITY_GROUP + T.EC2_SECURITY_GROUP_RULE + T.VPC_SECURITY_GROUP_INGRESS_RULE,
    severity="critical", group="hipaa", citation="164.312(a)(1)",
    remediation="Admit only the security groups of the clients (source_security_group_id / "
                "referenced_security_group_id) or private CIDR ranges; reach instances through SSM Session "
                "Manager or a bastion instead of opening SSH/RDP.",
    config_schema=_CONFIG,
    data_sources=("ports.json",),
    violating=[
        Example({"ingress": [{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/0"]}]}),
        Example({"ingress": [{"protocol": "tcp", "fromPort": 3306, "toPort": 3306,
                              "cidrBlocks": ["0.0.0.0/1", "128.0.0.0/1"], "ipv6CidrBlocks": ["::0/0"]}]},
                note="the internet in other spellings"),
        Example({"ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "ipv6CidrBlocks": ["::/0"]}]},
                note="all protocols: every port"),
        Example({"type": "ingress", "protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"],
                 "securityGroupId": "sg-0a1b2c3d"}, type="aws:ec2/securityGroupRule:SecurityGroupRule"),
        Example({"ipProtocol": "tcp", "fromPort": 6000, "toPort": 6500, "cidrIpv4": "0.0.0.0/0",
                 "securityGroupId": "sg-0a1b2c3d"}, type="aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                note="a range that covers Redis 6379"),
        Example({"ipProtocol": "-1", "cidrIpv6": "::/0", "securityGroupId": "sg-0a1b2c3d"},
                type="aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        Example({"ingress": [{"protocol": "tcp", "fromPort": 8443, "toPort": 8443, "cidrBlocks": ["0.0.0.0/0"]}]},
                config={"ports": [8443]}),
    ],
    compliant=[
        Example({"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}]}),
        Example({"ingress": [{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["10.0.0.0/16"]},
                             {"protocol": "tcp", "fromPort": 5432, "toPort": 5432,
                              "securityGroups": ["sg-0a1b2c3d"]}]}),
        Example({"type": "egress", "protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"],
                 "securityGroupId": "sg-0a1b2c3d"}, type="aws:ec2/securityGroupRule:SecurityGroupRule",
                note="egress is not checked"),
        Example({"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432,
                 "referencedSecurityGroupId": "sg-0a1b2c3d", "securityGroupId": "sg-0e1f2a3b"},
                type="aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
        Example({"egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]}),
    ],
)
def security_group_no_public_data_ports(r):
    if r.type in T.EC2_SECURITY_GROUP:
        for i, rule in enumerate(r.props.each("ingress")):
            yield from unless_unknown(_findings(r, rule, f"ingress.{i}.", ("cidrBlocks", "ipv6CidrBlocks"), "protocol"))
    elif r.type in T.EC2_SECURITY_GROUP_RULE:
        if (r.props.get_str("type") or "").lower() == "ingress":
            yield from _findings(r, r.props, "", ("cidrBlocks", "ipv6CidrBlocks"), "protocol")
    else:
        yield from _findings(r, r.props, "", ("cidrIpv4", "cidrIpv6"), "ipProtocol")
