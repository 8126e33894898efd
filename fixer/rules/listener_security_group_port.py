import ast

from ..names import ast_dotted
from ..rule import AstRule, Example

LISTENERS = ("pulumi_aws.lb.Listener", "pulumi_aws.alb.Listener")
LOAD_BALANCERS = ("pulumi_aws.lb.LoadBalancer", "pulumi_aws.alb.LoadBalancer")
GROUP = "pulumi_aws.ec2.SecurityGroup"
GROUP_RULE, INGRESS_RULE = "pulumi_aws.ec2.SecurityGroupRule", "pulumi_aws.vpc.SecurityGroupIngressRule"
UNKNOWN = object()  # a rule whose ports or protocol are not literals: it may admit anything


def _const(node):
    return node.value if isinstance(node, ast.Constant) else UNKNOWN


def _fields(node) -> dict | None:
    """Keyword fields of an ``...Args(...)`` call or a dict literal with string keys; None otherwise."""
    if isinstance(node, ast.Call):
        return {k.arg: k.value for k in node.keywords if k.arg} if not any(k.arg is None for k in node.keywords) \
            else None
    if isinstance(node, ast.Dict) and all(isinstance(k, ast.Constant) for k in node.keys):
        return {k.value: v for k, v in zip(node.keys, node.values)}
    return None


def _rule(fields: dict, protocol_key: str):
    """``(protocol, from_port, to_port)``, or UNKNOWN."""
    values = tuple(_const(fields.get(k)) if fields.get(k) is not None else None
                   for k in (protocol_key, "from_port", "to_port"))
    return UNKNOWN if UNKNOWN in values else values


def _admits(rule, port: int, transport: str) -> bool:
    if rule is UNKNOWN:
        return True
    protocol, low, high = rule
    protocol = str(protocol).lower() if protocol is not None else None
    if protocol in ("-1", "all"):
        return True
    if protocol not in (transport, {"tcp": "6", "udp": "17"}[transport]):
        return False
    try:
        return int(low) <= port <= int(high)
    except (TypeError, ValueError):
        return True


def _describe(rule) -> str:
    protocol, low, high = rule
    ports = f"{low}" if low == high else f"{low}-{high}"
    return ports if str(protocol).lower() in ("tcp", "6") else f"{ports}/{protocol}"


class ListenerSecurityGroupPort(AstRule):
    NAME = "listener-security-group-port"
    DESCRIPTION = "a listener port not admitted by its load balancer's security groups (defined in the same file)"
    WHY = ("The listener is created but unreachable: the load balancer's security groups drop the traffic (an HTTPS "
           "listener on 443 behind a group that admits only 80 times out). Followed: `load_balancer_arn=lb.arn` -> "
           "the LoadBalancer's `security_groups=[sg.id]` -> each group's inline `ingress` and its separate "
           "`ec2.SecurityGroupRule` / `vpc.SecurityGroupIngressRule` resources; anything not literal counts as "
           "admitting every port.")
    REFERENCES = ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-update-security-groups.html"]
    VALID = ["import pulumi_aws as aws\nsg = aws.ec2.SecurityGroup('sg', ingress=[{'protocol': 'tcp', 'from_port': 443, "
             "'to_port': 443, 'cidr_blocks': ['0.0.0.0/0']}])\nalb = aws.lb.LoadBalancer('alb', security_groups=[sg.id])\n"
             "aws.lb.Listener('l', load_balancer_arn=alb.arn, port=443, protocol='HTTPS')\n",
             "import pulumi_aws as aws\nsg = aws.ec2.SecurityGroup('sg')\naws.vpc.SecurityGroupIngressRule('r', "
             "security_group_id=sg.id, ip_protocol='tcp', from_port=80, to_port=443, cidr_ipv4='0.0.0.0/0')\n"
             "alb = aws.lb.LoadBalancer('alb', security_groups=[sg.id])\n"
             "aws.lb.Listener('l', load_balancer_arn=alb.arn, port=443, protocol='HTTPS')\n"]
    INVALID = [Example(
        "from pulumi_aws import ec2, lb\n\nalb_sg = ec2.SecurityGroup(\n    'alb-sg',\n    ingress=[\n"
        "        ec2.SecurityGroupIngressArgs(protocol='tcp', from_port=80, to_port=80, cidr_blocks=['0.0.0.0/0']),\n"
        "    ],\n)\nalb = lb.LoadBalancer('alb', security_groups=[alb_sg.id], subnets=subnet_ids)\n"
        "listener = lb.Listener('https', load_balancer_arn=alb.arn, port=443, protocol='HTTPS', default_actions=[])\n")]

    @classmethod
    def applies(cls, ctx):
        return bool(ctx.facts.calls_to(*LISTENERS)) and bool(ctx.facts.calls_to(*LOAD_BALANCERS))

    def check(self):
        facts = self.ctx.facts
        balancers = {c.target: c for c in facts.calls_to(*LOAD_BALANCERS) if c.target}
        groups = {c.target: c for c in facts.calls_to(GROUP) if c.target}
        for listener in facts.calls_to(*LISTENERS):
            port, arn = listener.const("port"), listener.keywords.get("load_balancer_arn")
            if not isinstance(port, int) or isinstance(port, bool) or not isinstance(arn, ast.Attribute) \
                    or arn.attr != "arn" or ast_dotted(arn.value) not in balancers:
                continue
            sg_list = balancers[ast_dotted(arn.value)].keywords.get("security_groups")
            if not isinstance(sg_list, (ast.List, ast.Tuple)) or not sg_list.elts:
                continue
            names = [ast_dotted(e.value) if isinstance(e, ast.Attribute) and e.attr == "id" else None
                     for e in sg_list.elts]
            if any(n not in groups for n in names):
                continue  # a group defined elsewhere may admit the port
            transport = "udp" if str(listener.const("protocol") or "").upper() == "UDP" else "tcp"
            rules = [r for n in names for r in self._rules(n, groups[n])]
            if any(_admits(r, port, transport) for r in rules):
                continue
            admitted = sorted({_describe(r) for r in rules}, key=lambda t: (len(t), t))
            self.report_at(listener.keywords.get("port") or listener.node,
                           f"listener port {port} is not admitted by the load balancer's security group(s) "
                           f"{', '.join(names)} (ingress admits {', '.join(admitted) or 'nothing'}); add an ingress "
                           f"rule for {port} or use the port the group admits")

    def _rules(self, name: str, group) -> list:
        """The group's ingress rules; an UNKNOWN entry when any of them is not literal."""
        out = []
        ingress = group.keywords.get("ingress")
        if ingress is not None:
            if not isinstance(ingress, (ast.List, ast.Tuple)):
                return [UNKNOWN]
            for element in ingress.elts:
                fields = _fields(element)
                out.append(UNKNOWN if fields is None else _rule(fields, "protocol"))
        for call in self.ctx.facts.calls_to(GROUP_RULE, INGRESS_RULE):
            target = call.keywords.get("security_group_id")
            owner = ast_dotted(target.value) if isinstance(target, ast.Attribute) and target.attr == "id" else None
            if owner is None:
                out.append(UNKNOWN)  # may belong to this group
            elif owner == name:
                if call.qualname == GROUP_RULE:
                    kind = call.const("type")
                    if kind == "egress":
                        continue
                    out.append(_rule(call.keywords, "protocol") if kind == "ingress" else UNKNOWN)
                else:
                    out.append(_rule(call.keywords, "ip_protocol"))
        return out
