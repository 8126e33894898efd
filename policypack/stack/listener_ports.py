"""A load balancer listener must be reachable: some ingress rule of the load balancer's security groups must
admit its port (the listener deploys, but every connection to it times out)."""
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.values import SECRET_TEXT

_LISTENER = "aws:lb/listener:Listener"
_LB = "aws:lb/loadBalancer:LoadBalancer"
_SG = "aws:ec2/securityGroup:SecurityGroup"
_ALL = {"-1", "all"}
_NUMBERS = {"6": "tcp", "17": "udp"}


def _protocol(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = str(int(value))
    text = str(value).strip().lower() if value is not None else ""
    return _NUMBERS.get(text, text)


def _admits(rule, port: float, wanted: set) -> bool:
    """Whether one rule (inline ingress, SecurityGroupRule, SecurityGroupIngressRule) admits the port."""
    protocol = _protocol(rule.get("protocol", rule.get("ipProtocol")))
    if protocol in _ALL:
        return True
    if protocol not in wanted:
        return False
    low, high = rule.get_number("fromPort"), rule.get_number("toPort")
    if low is None or high is None:
        return False
    return low <= port <= high


def _rules(sg, stack):
    """Every ingress rule of a security group: inline ones and the separate rule resources that target it."""
    rules = list(sg.props.each("ingress"))
    for rule in stack.referencing(sg, T.EC2_SECURITY_GROUP_RULE, "securityGroupId"):
        if (rule.props.get_str("type") or "").lower() == "ingress":
            rules.append(rule.props)
    rules += [rule.props for rule in stack.referencing(sg, T.VPC_SECURITY_GROUP_INGRESS_RULE, "securityGroupId")]
    return rules


def _describe(sg, stack) -> str:
    ports = []
    for rule in _rules(sg, stack):
        low, high = rule.peek("fromPort"), rule.peek("toPort")
        if not (isinstance(low, (int, float)) and isinstance(high, (int, float))) or isinstance(low, bool):
            continue  # unknown or malformed: nothing to describe
        if rule.is_secret("fromPort") or rule.is_secret("toPort"):
            ports.append(SECRET_TEXT)
        else:
            ports.append(f"{low:g}" if low == high else f"{low:g}-{high:g}")
    return f"{sg.name!r} admits " + (", ".join(ports) if ports else "no port")


def _example(listener, sg_props, note="", extra=(), lb_props=None):
    lb_props = lb_props or {"loadBalancerType": "application", "securityGroups": ["sg-1"]}
    lb = {"type": _LB, "name": "alb", "props": lb_props,
          "property_dependencies": {"securityGroups": ["alb-sg"]}}
    sg = {"type": _SG, "name": "alb-sg", "props": sg_props}
    return Example(listener, type=_LISTENER, name="https", property_dependencies={"loadBalancerArn": ["alb"]},
                   stack=[lb, sg, *extra], note=note)


_HTTPS = {"port": 443, "protocol": "HTTPS", "loadBalancerArn": "arn:aws:elasticloadbalancing:alb"}
_HTTP_ONLY = {"ingress": [{"protocol": "tcp", "fromPort": 80, "toPort": 80, "cidrBlocks": ["0.0.0.0/0"]}]}


@stack_policy(
    name="lb-security-group-allows-listener-port",
    description="Some ingress rule of a load balancer's security groups must admit each listener's port.",
    resource_types=T.LB_LISTENER,
    severity="high", group="deploy",
    remediation="Add an ingress rule for the listener's port to the load balancer's security group "
                "(or change the listener port to one the group admits).",
    violating=[
        _example(_HTTPS, _HTTP_ONLY, note="seed 002: HTTPS listener, security group admits only 80"),
        _example({"port": 80, "protocol": "HTTP", "loadBalancerArn": "arn"},
                 {"ingress": []}, note="rules are separate resources, none for 80",
                 extra=[{"type": "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "name": "https-in",
                         "props": {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"},
                         "property_dependencies": {"securityGroupId": ["alb-sg"]}},
                        {"type": "aws:ec2/securityGroupRule:SecurityGroupRule", "name": "egress-80",
                         "props": {"type": "egress", "protocol": "tcp", "fromPort": 80, "toPort": 80,
                                   "cidrBlocks": ["0.0.0.0/0"]},
                         "property_dependencies": {"securityGroupId": ["alb-sg"]}}]),
    ],
    compliant=[
        _example(_HTTPS, {"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443}]}),
        _example(_HTTPS, {"ingress": [{"protocol": "-1", "fromPort": 0, "toPort": 0}]}, note="all traffic"),
        _example(_HTTPS, {"ingress": [{"protocol": "6", "fromPort": 0, "toPort": 1024}]}, note="a range, by number"),
        _example(_HTTPS, {}, note="a SecurityGroupRule resource admits 443",
                 extra=[{"type": "aws:ec2/securityGroupRule:SecurityGroupRule", "name": "https-in",
                         "props": {"type": "ingress", "protocol": "tcp", "fromPort": 443, "toPort": 443},
                         "property_dependencies": {"securityGroupId": ["alb-sg"]}}]),
        _example(_HTTPS, _HTTP_ONLY, lb_props={"securityGroups": ["sg-1", "sg-external"]},
                 note="data missing: a second group outside the stack may admit it"),
        _example(_HTTPS, {"ingress": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, note="rules unknown: skipped"),
        Example(_HTTPS, type=_LISTENER, note="load balancer outside the stack"),
    ],
)
def lb_security_group_allows_listener_port(r, stack):
    port = r.props.get_number("port")
    if port is None:
        return []
    listener_protocol = (r.props.get_str("protocol") or "").upper()
    wanted = {"udp"} if listener_protocol == "UDP" else {"tcp"}
    messages = []
    for lb in (d for d in r.depends_on_prop("loadBalancerArn") if d.type in T.LB_LOAD_BALANCER):
        listed = [g for g in lb.props.get_list("securityGroups") if g is not None]
        groups = [g for g in lb.depends_on_prop("securityGroups") if g.type in T.EC2_SECURITY_GROUP]
        if not groups or len(groups) < len(listed):
            continue  # no groups (NLB) or some group is outside the stack: it may admit the port
        if any(_admits(rule, port, wanted) for g in groups for rule in _rules(g, stack)):
            continue
        described = "; ".join(_describe(g, stack) for g in groups)
        shown = r.props.show("protocol") if r.props.is_secret("protocol") else (listener_protocol or "default protocol")
        messages.append(f"listener port {port:g} ({shown}) is not admitted by any "
                        f"ingress rule of the security groups of load balancer {lb.name!r} ({described}): connections "
                        f"to it time out. Add an ingress rule for {'/'.join(sorted(wanted))} {port:g}.")
    return messages
