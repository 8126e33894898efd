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
    severity="critical", group="hipaa",
    citation=(
        "164.312(a)(1)", "164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(e)(1)",
    ),
    aws_config_rules=("restricted-ssh", "restricted-common-ports"),
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


# -- issue 9: AWS Config HIPAA conformance pack rules for instances, volumes and launch templates --------
from policypack import hipaa_controls as C  # noqa: E402 - kept inside this block for merges
from policypack.relations import referenced  # noqa: E402
from policypack.policy import MANAGED_ELSEWHERE, stack_policy  # noqa: E402

_INSTANCE, _TEMPLATE = T.EC2_INSTANCE[0], T.EC2_LAUNCH_TEMPLATE[0]
_PLACEMENT = ("subnetId", "networkInterfaces", "primaryNetworkInterface", "launchTemplate")


def _account_requires_imdsv2(stack) -> bool:
    return any(str(d.props.get_str("httpTokens") or "").lower() == "required"
               for d in stack.of_type(T.EC2_INSTANCE_METADATA_DEFAULTS))


@stack_policy(
    name="ec2-imdsv2-check",
    description="EC2 instances and launch templates must require IMDSv2 (session tokens) for instance metadata.",
    resource_types=T.EC2_INSTANCE + T.EC2_LAUNCH_TEMPLATE,
    severity="high", group="hipaa", citation=C.ACCESS_AUTHORIZATION, aws_config_rules=("ec2-imdsv2-check",),
    managed_elsewhere=True,
    remediation="Set metadata_options={'http_tokens': 'required'} on the instance or launch template (or "
                "http_endpoint 'disabled'), or require IMDSv2 for the account and region with "
                "aws.ec2.InstanceMetadataDefaults(http_tokens='required'). Amazon Linux 2023 AMIs already do.",
    violating=[
        Example({"ami": "ami-0abc", "instanceType": "t3.micro", "subnetId": "subnet-1"}, name="app",
                note="unset: the AMI or account default decides, usually IMDSv1 allowed"),
        Example({"ami": "ami-0abc", "metadataOptions": {"httpTokens": "optional"}}, name="app"),
        Example({"imageId": "ami-0abc", "metadataOptions": {"httpEndpoint": "enabled"}}, type=_TEMPLATE, name="lt",
                note="a launch template leaves httpTokens optional"),
    ],
    compliant=[
        Example({"ami": "ami-0abc", "metadataOptions": {"httpTokens": "required"}}, name="app"),
        Example({"ami": "ami-0abc", "metadataOptions": {"httpEndpoint": "disabled"}}, name="app"),
        Example({"ami": "ami-0abc"}, name="app",
                stack=[{"type": T.EC2_INSTANCE_METADATA_DEFAULTS[0], "name": "imds", "props": {"httpTokens": "required"}}],
                note="the account default in this stack requires IMDSv2"),
        Example({"ami": "ami-0abc"}, name="app", config={MANAGED_ELSEWHERE: True}),
        Example({"launchTemplate": {"id": "lt-1"}}, name="app", property_dependencies={"launchTemplate": ["lt"]},
                stack=[{"type": _TEMPLATE, "name": "lt", "props": {"metadataOptions": {"httpTokens": "required"}}}],
                note="an instance from a launch template is judged on the template"),
    ],
)
def ec2_imdsv2_check(r, stack):
    if (r.props.get_str("metadataOptions.httpEndpoint") or "").lower() == "disabled":
        return
    tokens = r.props.get_str("metadataOptions.httpTokens")
    if tokens is None and r.type == _INSTANCE and r.props.is_set("launchTemplate"):
        return  # judged on the template, which this policy checks on its own
    if tokens is not None and tokens.lower() == "required":
        return
    if tokens is None and (r.config.get(MANAGED_ELSEWHERE) or _account_requires_imdsv2(stack)):
        return
    yield (f"metadataOptions.httpTokens is {r.props.show('metadataOptions.httpTokens')}: IMDSv1 answers any "
           "request from the instance, so an SSRF flaw can read its role credentials; set it to 'required'.")


def _subnet_is_public(subnet) -> bool:
    mapped = subnet.props.get_bool("mapPublicIpOnLaunch")
    if subnet.type in T.EC2_DEFAULT_SUBNET:
        return mapped is not False  # a default subnet keeps AWS's true
    return mapped is True


@stack_policy(
    name="ec2-instance-no-public-ip",
    description="EC2 instances must not get a public IPv4 address.",
    resource_types=T.EC2_INSTANCE,
    severity="high", group="hipaa", citation=C.ACCESS_CONTROL, aws_config_rules=("ec2-instance-no-public-ip",),
    remediation="Set associate_public_ip_address=False and launch into a private subnet "
                "(map_public_ip_on_launch false); reach the instance through a load balancer or SSM Session Manager.",
    violating=[
        Example({"ami": "ami-0abc", "subnetId": "subnet-1", "associatePublicIpAddress": True}, name="app"),
        Example({"ami": "ami-0abc", "subnetId": "subnet-1"}, name="app", property_dependencies={"subnetId": ["pub"]},
                stack=[{"type": T.EC2_SUBNET[0], "name": "pub", "props": {"mapPublicIpOnLaunch": True}}],
                note="unset in a subnet that maps public addresses"),
        Example({"ami": "ami-0abc"}, name="app", note="no subnet: the default VPC's default subnet, which does"),
    ],
    compliant=[
        Example({"ami": "ami-0abc", "subnetId": "subnet-1"}, name="app", property_dependencies={"subnetId": ["priv"]},
                stack=[{"type": T.EC2_SUBNET[0], "name": "priv", "props": {"cidrBlock": "10.0.1.0/24"}}],
                note="a subnet's mapPublicIpOnLaunch unset means false"),
        Example({"ami": "ami-0abc", "subnetId": "subnet-1", "associatePublicIpAddress": False}, name="app",
                property_dependencies={"subnetId": ["pub"]},
                stack=[{"type": T.EC2_SUBNET[0], "name": "pub", "props": {"mapPublicIpOnLaunch": True}}]),
        Example({"ami": "ami-0abc", "launchTemplate": {"name": "app"}}, name="app",
                note="the launch template's network interfaces decide"),
    ],
)
def ec2_instance_no_public_ip(r, stack):
    associate = r.props.get_bool("associatePublicIpAddress")
    if associate is True:
        yield "associatePublicIpAddress is true: the instance is reachable from the internet."
        return
    if associate is False:
        return
    if not any(r.props.is_set(p) for p in _PLACEMENT):
        yield ("the instance names no subnet, network interface or launch template: it launches in the default "
               "VPC's default subnet, which gives it a public address; set subnet_id to a private subnet.")
        return
    if r.props.is_set("subnetId"):
        for subnet in referenced(r, stack, "subnetId", T.EC2_SUBNET + T.EC2_DEFAULT_SUBNET):
            if _subnet_is_public(subnet):
                yield (f"associatePublicIpAddress is unset and subnet {subnet.name} maps public addresses on launch: "
                       "the instance gets a public address; set associate_public_ip_address=False.")
                return


@resource_policy(
    name="ec2-instance-profile-attached",
    description="EC2 instances should run with an IAM instance profile rather than stored credentials.",
    resource_types=T.EC2_INSTANCE,
    severity="low", group="hipaa", enforcement="advisory", aws_config_rules=("ec2-instance-profile-attached",),
    citation=C.cite(C.ACCESS_AUTHORIZATION, "308(a)(3)(ii)(A)", "308(a)(4)(ii)(B)"),
    remediation="Set iam_instance_profile to an aws.iam.InstanceProfile whose role grants only what the "
                "workload needs; never put access keys on the instance.",
    violating=[Example({"ami": "ami-0abc", "subnetId": "subnet-1"})],
    compliant=[Example({"ami": "ami-0abc", "iamInstanceProfile": "app-profile"}),
               Example({"launchTemplate": {"id": "lt-1"}}, note="the launch template may carry the profile")],
)
def ec2_instance_profile_attached(r):
    if r.props.is_set("iamInstanceProfile") or r.props.is_set("launchTemplate"):
        return
    yield ("iamInstanceProfile is unset: the instance has no role, so software on it needs stored credentials "
           "to call AWS.")


@resource_policy(
    name="ec2-instances-in-vpc",
    description="EC2 instances should be placed in a chosen VPC subnet, not the default VPC.",
    resource_types=T.EC2_INSTANCE,
    severity="medium", group="hipaa", citation=C.ACCESS_CONTROL, enforcement="advisory",
    aws_config_rules=("ec2-instances-in-vpc",),
    remediation="Set subnet_id (or a network interface or launch template) to a subnet of a VPC you manage.",
    violating=[Example({"ami": "ami-0abc", "instanceType": "t3.micro"}, note="no placement: the default VPC")],
    compliant=[Example({"ami": "ami-0abc", "subnetId": "subnet-1"}),
               Example({"ami": "ami-0abc", "primaryNetworkInterface": {"networkInterfaceId": "eni-1"}}),
               Example({"launchTemplate": {"name": "app"}})],
)
def ec2_instances_in_vpc(r):
    if not any(r.props.is_set(p) for p in _PLACEMENT):
        yield ("none of subnetId, networkInterfaces, primaryNetworkInterface or launchTemplate is set: the "
               "instance lands in the default VPC, whose subnets are public.")


def _encrypted_by_default(r, stack) -> bool:
    if r.config.get(MANAGED_ELSEWHERE):
        return True
    return any(d.props.get_bool("enabled") is not False for d in stack.of_type(T.EBS_ENCRYPTION_BY_DEFAULT))


def _unencrypted_devices(r):
    """(path to the `encrypted` flag) of each declared volume that does not turn encryption on."""
    if r.type in T.EBS_VOLUME:
        devices = [("", r.props)]
    elif r.type in T.EC2_LAUNCH_TEMPLATE:
        devices = [(f"blockDeviceMappings.{i}.ebs.", m.child("ebs"))
                   for i, m in enumerate(r.props.each("blockDeviceMappings")) if m.is_set("ebs")]
    else:
        devices = [(f"ebsBlockDevices.{i}.", d) for i, d in enumerate(r.props.each("ebsBlockDevices"))]
        if r.props.is_set("rootBlockDevice") or not r.props.is_set("launchTemplate"):
            devices.insert(0, ("rootBlockDevice.", r.props.child("rootBlockDevice")))
    for prefix, device in devices:
        if device.is_set("snapshotId"):
            continue  # a volume from a snapshot takes the snapshot's encryption
        if device.get_bool("encrypted") is not True:
            yield f"{prefix}encrypted"


@stack_policy(
    name="encrypted-volumes",
    description="EBS volumes (standalone, instance root and data devices, launch template mappings) must be "
                "encrypted.",
    resource_types=T.EBS_VOLUME + T.EC2_INSTANCE + T.EC2_LAUNCH_TEMPLATE,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST, aws_config_rules=("encrypted-volumes",),
    managed_elsewhere=True,
    remediation="Set encrypted=True (a launch template takes the string 'true') with a customer-managed kms_key_id, "
                "or turn on EBS encryption by default for the account and region (aws.ebs.EncryptionByDefault). "
                "An existing volume is replaced: copy it through an encrypted snapshot.",
    violating=[
        Example({"availabilityZone": "us-east-1a", "size": 100}, type=T.EBS_VOLUME[0], name="data",
                note="unset means unencrypted"),
        Example({"ami": "ami-0abc", "rootBlockDevice": {"volumeSize": 30},
                 "ebsBlockDevices": [{"deviceName": "/dev/sdf", "encrypted": True}]}, type=_INSTANCE, name="app"),
        Example({"imageId": "ami-0abc", "blockDeviceMappings": [{"deviceName": "/dev/xvda",
                                                                 "ebs": {"volumeSize": 30, "encrypted": "false"}}]},
                type=_TEMPLATE, name="lt", note="a launch template's encrypted is a string"),
    ],
    compliant=[
        Example({"availabilityZone": "us-east-1a", "size": 100, "encrypted": True}, type=T.EBS_VOLUME[0], name="data"),
        Example({"ami": "ami-0abc", "rootBlockDevice": {"encrypted": True}}, type=_INSTANCE, name="app"),
        Example({"imageId": "ami-0abc", "blockDeviceMappings": [{"ebs": {"encrypted": "true"}}]}, type=_TEMPLATE,
                name="lt"),
        Example({"availabilityZone": "us-east-1a"}, type=T.EBS_VOLUME[0], name="data",
                stack=[{"type": T.EBS_ENCRYPTION_BY_DEFAULT[0], "name": "ebs-default", "props": {}}],
                note="EBS encryption by default in this stack (enabled unset means true)"),
        Example({"availabilityZone": "us-east-1a", "snapshotId": "snap-1"}, type=T.EBS_VOLUME[0], name="data",
                note="a volume from a snapshot inherits the snapshot's encryption"),
        Example({"ami": "ami-0abc"}, type=_INSTANCE, name="app", config={MANAGED_ELSEWHERE: True}),
    ],
)
def encrypted_volumes(r, stack):
    unencrypted = list(_unencrypted_devices(r))
    if not unencrypted or _encrypted_by_default(r, stack):
        return
    for path in unencrypted:
        yield f"{path} is {r.props.show(path)}: the volume holds data unencrypted at rest."
