"""EMR: Kerberos authentication, and master nodes without public addresses."""
import json

from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policies._network import subnet_routes_to_internet
from policypack.relations import referenced
from policypack.policy import Example, stack_policy

_SECURITY_CONFIGURATION = T.EMR_SECURITY_CONFIGURATION[0]
_KERBEROS = json.dumps({"AuthenticationConfiguration": {"KerberosConfiguration": {
    "Provider": "ClusterDedicatedKdc", "ClusterDedicatedKdcConfiguration": {"TicketLifetimeInHours": 24}}}})


def _has_kerberos(configuration) -> bool:
    if isinstance(configuration, str):
        try:
            configuration = json.loads(configuration)
        except ValueError:
            return False
    auth = configuration.get("AuthenticationConfiguration") if isinstance(configuration, dict) else None
    return isinstance(auth, dict) and isinstance(auth.get("KerberosConfiguration"), dict)


@stack_policy(
    name="emr-kerberos-enabled",
    description="EMR clusters should authenticate users and services with Kerberos.",
    resource_types=T.EMR_CLUSTER,
    severity="medium", group="hipaa", citation=C.IDENTITY_ACCESS, enforcement="advisory",
    aws_config_rules=("emr-kerberos-enabled",),
    remediation="Create an aws.emr.SecurityConfiguration whose configuration has AuthenticationConfiguration."
                "KerberosConfiguration, name it in security_configuration, and set kerberos_attributes "
                "(realm, kdc_admin_password from a secret).",
    violating=[
        Example({"name": "etl", "releaseLabel": "emr-7.1.0"}, name="etl"),
        Example({"name": "etl", "securityConfiguration": "etl-security", "kerberosAttributes": {"realm": "EC2.INTERNAL"}},
                name="etl", property_dependencies={"securityConfiguration": ["sec"]},
                stack=[{"type": _SECURITY_CONFIGURATION, "name": "sec", "props": {
                    "name": "etl-security",
                    "configuration": json.dumps({"EncryptionConfiguration": {"EnableInTransitEncryption": True}})}}],
                note="the security configuration has no Kerberos section"),
    ],
    compliant=[
        Example({"name": "etl", "securityConfiguration": "etl-security", "kerberosAttributes": {"realm": "EC2.INTERNAL"}},
                name="etl", stack=[{"type": _SECURITY_CONFIGURATION, "name": "sec",
                                    "props": {"name": "etl-security", "configuration": _KERBEROS}}]),
        Example({"name": "etl", "securityConfiguration": "shared-kerberos", "kerberosAttributes": {"realm": "CORP"}},
                name="etl", note="a security configuration managed elsewhere: the realm shows Kerberos is used"),
    ],
)
def emr_kerberos_enabled(cluster, stack):
    if not cluster.props.is_set("securityConfiguration") or not cluster.props.is_set("kerberosAttributes.realm"):
        yield ("securityConfiguration or kerberosAttributes.realm is unset: the cluster does not use Kerberos, so "
               "any user on a node can act as any Hadoop user.")
        return
    for configuration in referenced(cluster, stack, "securityConfiguration", T.EMR_SECURITY_CONFIGURATION, ("name",)):
        if not _has_kerberos(configuration.props.get("configuration")):
            yield (f"security configuration {configuration.name} has no AuthenticationConfiguration."
                   "KerberosConfiguration: the cluster's kerberos attributes are not used.")


@stack_policy(
    name="emr-master-no-public-ip",
    description="EMR clusters must run in private subnets, so the master node gets no public address.",
    resource_types=T.EMR_CLUSTER,
    severity="high", group="hipaa", citation=C.ACCESS_CONTROL, aws_config_rules=("emr-master-no-public-ip",),
    remediation="Set ec2_attributes.subnet_id (or subnet_ids) to private subnets: map_public_ip_on_launch false "
                "and no 0.0.0.0/0 route to an internet gateway (use a NAT gateway or VPC endpoints).",
    violating=[
        Example({"name": "etl", "ec2Attributes": {"instanceProfile": "emr-profile"}}, name="etl",
                note="no subnet: the default VPC's public subnets"),
        Example({"name": "etl", "ec2Attributes": {"subnetId": "subnet-1"}}, name="etl",
                property_dependencies={"ec2Attributes": ["pub"]},
                stack=[{"type": T.EC2_SUBNET[0], "name": "pub", "props": {"id": "subnet-1", "cidrBlock": "10.0.0.0/24"}},
                       {"type": T.EC2_INTERNET_GATEWAY[0], "name": "igw", "props": {"id": "igw-1"}},
                       {"type": T.EC2_ROUTE_TABLE[0], "name": "rt", "props": {"id": "rtb-1", "routes": [
                           {"cidrBlock": "0.0.0.0/0", "gatewayId": "igw-1"}]}},
                       {"type": T.EC2_ROUTE_TABLE_ASSOCIATION[0], "name": "assoc",
                        "property_dependencies": {"subnetId": ["pub"], "routeTableId": ["rt"]},
                        "props": {"subnetId": "subnet-1", "routeTableId": "rtb-1"}}],
                note="the subnet routes 0.0.0.0/0 to an internet gateway"),
    ],
    compliant=[
        Example({"name": "etl", "ec2Attributes": {"subnetId": "subnet-1"}}, name="etl",
                stack=[{"type": T.EC2_SUBNET[0], "name": "priv", "props": {"id": "subnet-1", "cidrBlock": "10.0.1.0/24"}}]),
        Example({"name": "etl", "ec2Attributes": {"subnetId": "subnet-0a1b2c3d"}}, name="etl",
                note="a subnet of another stack: nothing here says it is public"),
    ],
)
def emr_master_no_public_ip(cluster, stack):
    attributes = cluster.props.child("ec2Attributes")
    if not attributes.is_set("subnetId") and not attributes.get_list("subnetIds"):
        yield ("ec2Attributes names no subnet: the cluster launches in the default VPC, whose subnets give the "
               "master node a public address.")
        return
    subnets = []
    for key in ("subnetId", "subnetIds"):
        if attributes.is_set(key):
            subnets += [s for s in referenced(cluster, stack, f"ec2Attributes.{key}", T.EC2_SUBNET + T.EC2_DEFAULT_SUBNET)
                        if s not in subnets]
    for subnet in subnets:
        mapped = subnet.props.get_bool("mapPublicIpOnLaunch")
        if subnet.type in T.EC2_DEFAULT_SUBNET or mapped is True or subnet_routes_to_internet(subnet, stack):
            yield (f"subnet {subnet.name} is public (a default subnet, public addresses on launch, or a default "
                   "route to an internet gateway): the master node is reachable from the internet.")
