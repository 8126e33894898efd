"""Subnet CIDRs AWS refuses: outside the VPC's ranges, overlapping a sibling, malformed or of a size EC2 does
not allow (IPv4 subnets and VPC blocks are /16 to /28: Amazon VPC User Guide, "Subnet CIDR blocks")."""
import ipaddress

from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.values import SECRET_TEXT, UNKNOWN

SMALLEST_PREFIX, LARGEST_PREFIX = 16, 28
_SUBNET = "aws:ec2/subnet:Subnet"
_VPC = "aws:ec2/vpc:Vpc"


def _network(text):
    try:
        return ipaddress.IPv4Network(text)
    except ValueError:
        return None


def _known_cidr(resource):
    """The resource's cidrBlock as a network, or None when absent, unknown or malformed."""
    cidr = resource.props.peek("cidrBlock")
    return _network(cidr) if isinstance(cidr, str) else None


def _vpc_blocks(vpc, stack):
    """(the VPC's primary and secondary IPv4 blocks, whether any is a secret); None when one is not known
    yet (IPAM), so that containment cannot be judged."""
    holders = [vpc] + stack.referencing(vpc, T.EC2_VPC_IPV4_CIDR_BLOCK_ASSOCIATION, "vpcId")
    blocks = [h.props.peek("cidrBlock") for h in holders]
    if any(b is UNKNOWN for b in blocks):
        return None
    secret = any(h.props.is_secret("cidrBlock") for h in holders)
    return [n for n in (_network(b) for b in blocks if isinstance(b, str) and b) if n is not None], secret


def _subnet(name, cidr, vpc="vpc"):
    return {"type": _SUBNET, "name": name, "props": {"cidrBlock": cidr, "vpcId": "vpc-1"},
            "property_dependencies": {"vpcId": [vpc]}}


def _example(cidr, vpc_cidr="10.0.0.0/16", others=(), note="", extra=()):
    vpc = {"type": _VPC, "name": "vpc", "props": {"cidrBlock": vpc_cidr}}
    return Example({"cidrBlock": cidr, "vpcId": "vpc-1"}, type=_SUBNET, name="private-1",
                   property_dependencies={"vpcId": ["vpc"]}, stack=[vpc, *others, *extra], note=note)


@stack_policy(
    name="subnet-cidrs-valid",
    description="A subnet's CIDR must be a valid /16-/28 block inside its VPC's CIDR blocks, overlapping no "
                "other subnet of the VPC.",
    resource_types=T.EC2_SUBNET,
    severity="high", group="deploy",
    remediation="Plan the blocks: carve subnets from the VPC CIDR without overlap (e.g. 10.0.1.0/24, 10.0.2.0/24 "
                "in 10.0.0.0/16), or add the range to the VPC with aws.ec2.VpcIpv4CidrBlockAssociation.",
    violating=[
        _example("10.1.1.0/24", note="outside the VPC"),
        _example("10.0.1.0/24", others=[_subnet("private-2", "10.0.1.128/25")], note="overlaps a sibling"),
        _example("10.0.1.5/24", note="host bits set: EC2 refuses it as an invalid CIDR"),
        _example("10.0.1.0/29", note="smaller than /28"),
    ],
    compliant=[
        _example("10.0.1.0/24", others=[_subnet("private-2", "10.0.2.0/24")]),
        _example("10.1.1.0/24", note="inside a secondary block",
                 extra=[{"type": "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
                         "name": "secondary", "props": {"cidrBlock": "10.1.0.0/16", "vpcId": "vpc-1"},
                         "property_dependencies": {"vpcId": ["vpc"]}}]),
        _example("10.0.1.0/24", others=[_subnet("elsewhere", "10.0.1.0/24", vpc="other-vpc")],
                 extra=[{"type": _VPC, "name": "other-vpc", "props": {"cidrBlock": "10.0.0.0/16"}}],
                 note="the same block in another VPC"),
        _example("10.1.1.0/24", vpc_cidr="04da6b54-80e4-46f7-96ec-b56ff0331ba9", note="VPC block from IPAM: unknown"),
        Example({"cidrBlock": "10.1.1.0/24", "vpcId": "vpc-0123456789abcdef0"}, type=_SUBNET,
                note="data missing: the VPC is outside the stack"),
    ],
)
def subnet_cidrs_valid(r, stack):
    text = r.props.get_str("cidrBlock")
    if not text:
        return []
    shown = r.props.show("cidrBlock")
    network = _network(text)
    if network is None:
        loose = ipaddress.ip_network(text, strict=False) if _parses_loosely(text) else None
        fix = f" (did you mean {loose}?)" if loose is not None and not r.props.is_secret("cidrBlock") else ""
        return [f"cidrBlock {shown} is not a valid IPv4 network: EC2 refuses it{fix}."]
    messages = []
    if not SMALLEST_PREFIX <= network.prefixlen <= LARGEST_PREFIX:
        messages.append(f"cidrBlock {shown} is a /{network.prefixlen}; subnets must be /{SMALLEST_PREFIX} to "
                        f"/{LARGEST_PREFIX}.")
    for vpc in (v for v in r.depends_on_prop("vpcId") if v.type in T.EC2_VPC):
        blocks, secret = _vpc_blocks(vpc, stack) or (None, False)
        if blocks and not any(network.subnet_of(b) for b in blocks):
            listed = SECRET_TEXT if secret else ", ".join(map(str, blocks))
            messages.append(f"cidrBlock {shown} is outside VPC {vpc.name!r} ({listed}).")
        for sibling in stack.referencing(vpc, T.EC2_SUBNET, "vpcId"):
            other = _known_cidr(sibling) if sibling is not r else None
            if other is not None and network.overlaps(other):
                messages.append(f"cidrBlock {shown} overlaps subnet {sibling.name!r} "
                                f"({sibling.props.show('cidrBlock')}) of the same VPC.")
    return messages


def _parses_loosely(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True
