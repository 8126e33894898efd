"""Where a subnet sends internet traffic, as the stack declares it: shared by policies that ask whether a
subnet is public (EMR master nodes today; route and gateway rules can reuse it)."""
from __future__ import annotations

from policypack import resource_types as T
from policypack.relations import names_of, referenced, referrers_named
from policypack.values import UNKNOWN

DEFAULT_ROUTES = ("0.0.0.0/0", "::/0")


def _to_internet_gateway(route, gateway_prop: str, owner, dependency_prop: str) -> bool:
    gateway = route.peek(gateway_prop)
    if isinstance(gateway, str) and gateway.lower().startswith("igw-"):
        return True
    if gateway is UNKNOWN or gateway is None:
        return any(d.type in T.EC2_INTERNET_GATEWAY for d in owner.depends_on_prop(dependency_prop))
    return False


def subnet_routes_to_internet(subnet, stack) -> bool:
    """Whether a route table associated with `subnet` in the stack sends 0.0.0.0/0 (or ::/0) to an internet
    gateway, through an inline `routes[]` entry or a separate `ec2/route`."""
    for association in referrers_named(subnet, stack, T.EC2_ROUTE_TABLE_ASSOCIATION, "subnetId", names_of(subnet, ("id",))):
        for table in referenced(association, stack, "routeTableId", T.EC2_ROUTE_TABLE):
            for route in table.props.each("routes"):
                if (route.peek("cidrBlock") in DEFAULT_ROUTES or route.peek("ipv6CidrBlock") in DEFAULT_ROUTES) \
                        and _to_internet_gateway(route, "gatewayId", table, "routes"):
                    return True
            for route in referrers_named(table, stack, T.EC2_ROUTE, "routeTableId", names_of(table, ("id",))):
                if (route.props.peek("destinationCidrBlock") in DEFAULT_ROUTES
                        or route.props.peek("destinationIpv6CidrBlock") in DEFAULT_ROUTES) \
                        and _to_internet_gateway(route.props, "gatewayId", route, "gatewayId"):
                    return True
    return False
