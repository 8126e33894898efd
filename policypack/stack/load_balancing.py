"""Load balancers and what protects them: a WAF web ACL in front, TLS listeners on Classic Load Balancers
with ACM certificates and a predefined TLS 1.2 security policy."""
from policypack import arns, data
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import fed_by, referrers

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_ALB_ARN = "arn:aws:elasticloadbalancing:us-east-1:210987654321:loadbalancer/app/portal/50dc6c495c0c9188"
_ACM = "arn:aws:acm:us-east-1:210987654321:certificate/5e1c6c2a-4f7a-4f3e-9a51-3f0c2b7d9e10"
_IAM_CERT = "arn:aws:iam::210987654321:server-certificate/portal"
_WAF = T.WAF_ASSOCIATION[0]


def waf_associations(resource, stack, keys=("arn",)) -> list:
    """The WAF web ACL associations (v2 and regional) whose `resourceArn` is this resource."""
    return referrers(stack, resource, T.WAF_ASSOCIATION, "resourceArn", keys)


@stack_policy(
    name="alb-waf-enabled",
    description="Internet-facing Application Load Balancers must sit behind an AWS WAF web ACL.",
    resource_types=T.LB_LOAD_BALANCER,
    severity="medium", group="hipaa", citation="164.308(a)(1)(ii)(B)", enforcement="advisory",
    aws_config_rules=("alb-waf-enabled",), managed_elsewhere=True,
    config_schema={"includeInternal": {"type": "boolean", "default": False,
                                       "description": "Check internal load balancers too."}},
    remediation="Add an aws.wafv2.WebAclAssociation with resource_arn=<load balancer arn> and the ARN of a "
                "regional web ACL (AWS managed rule groups are a good start).",
    violating=[Example({"loadBalancerType": "application", "arn": _ALB_ARN}, name="portal"),
               Example({"internal": True}, name="portal", config={"includeInternal": True},
                       note="internal load balancers too, when asked")],
    compliant=[Example({"loadBalancerType": "application", "arn": U}, name="portal",
                       stack=[{"type": _WAF, "name": "portal-waf", "property_dependencies": {"resourceArn": ["portal"]},
                               "props": {"resourceArn": U, "webAclArn": U}}]),
               Example({"arn": _ALB_ARN}, name="portal",
                       stack=[{"type": T.WAF_ASSOCIATION[1], "name": "portal-waf",
                               "props": {"resourceArn": _ALB_ARN, "webAclId": "acl-1"}}],
                       note="matched by ARN, WAF Classic regional"),
               Example({"internal": True}, name="portal", note="internal: not checked by default"),
               Example({"loadBalancerType": "network"}, name="nlb"),
               Example({"arn": _ALB_ARN}, name="portal", config={"managedElsewhere": True},
                       note="Firewall Manager associates the ACL from another account")],
)
def alb_waf_enabled(lb, stack):
    if (lb.props.get_str("loadBalancerType") or "application").lower() != "application":
        return
    if lb.props.get_bool("internal") is True and not lb.config["includeInternal"]:
        return
    if waf_associations(lb, stack) or lb.config["managedElsewhere"]:
        return
    yield "no WAF web ACL association names this load balancer: its requests are not filtered by WAF."


SECURE_PROTOCOLS = ("HTTPS", "SSL")


def _certificate_problem(lb, i, allow_iam) -> str:
    path = f"listeners.{i}.sslCertificateId"
    if lb.props.is_unknown(path):
        feeders = [r.type for r in fed_by(lb, "listeners", T.IAM_SERVER_CERTIFICATE + T.ACM_CERTIFICATE)]
        if feeders and all(t in T.IAM_SERVER_CERTIFICATE for t in feeders) and not allow_iam:
            return f"listener {i} uses an IAM server certificate; use an ACM certificate."
        return ""
    arn = arns.parse(lb.props.get_str(path))
    if arn is None:
        return f"listener {i} has no ACM certificate ({path} is {lb.props.show(path)})."
    if arn.service == "acm" and arn.resource.startswith("certificate/"):
        return ""
    if arn.service == "iam" and arn.resource.startswith("server-certificate/"):
        return "" if allow_iam else (f"listener {i} uses an IAM server certificate: ACM renews and "
                                     "protects keys for you; set allowIamCertificates to accept it.")
    return f"listener {i}: {path} is not a certificate ARN."


@stack_policy(
    name="elb-tls-https-listeners-only",
    description="Classic Load Balancer listeners must be HTTPS or SSL, with an ACM certificate.",
    resource_types=T.ELB_LOAD_BALANCER,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT,
    aws_config_rules=("elb-tls-https-listeners-only", "elb-acm-certificate-required"),
    config_schema={"allowIamCertificates": {"type": "boolean", "default": False,
                                            "description": "Accept IAM server certificates as well as ACM ones."}},
    remediation="Give every listener lb_protocol 'https' (or 'ssl') and ssl_certificate_id=<ACM certificate "
                "ARN>; better, move to an Application Load Balancer.",
    violating=[Example({"listeners": [{"lbProtocol": "http", "lbPort": 80, "instanceProtocol": "http",
                                       "instancePort": 8080}]}),
               Example({"listeners": [{"lbProtocol": "https", "lbPort": 443, "instanceProtocol": "http",
                                       "instancePort": 8080, "sslCertificateId": _IAM_CERT}]},
                       note="an IAM server certificate"),
               Example({"listeners": [{"lbProtocol": "SSL", "lbPort": 443, "instanceProtocol": "TCP",
                                       "instancePort": 8443}]}, note="no certificate")],
    compliant=[Example({"listeners": [{"lbProtocol": "HTTPS", "lbPort": 443, "instanceProtocol": "http",
                                       "instancePort": 8080, "sslCertificateId": _ACM}]}),
               Example({"listeners": [{"lbProtocol": "https", "lbPort": 443, "instanceProtocol": "http",
                                       "instancePort": 8080, "sslCertificateId": _IAM_CERT}]},
                       config={"allowIamCertificates": True})],
)
def elb_tls_https_listeners_only(lb, stack):
    for i, listener in enumerate(lb.props.each("listeners")):
        protocol = (listener.get_str("lbProtocol") or "").upper()
        if protocol not in SECURE_PROTOCOLS:
            yield (f"listener {i} uses {lb.props.show(f'listeners.{i}.lbProtocol')}: data between clients and "
                   "the load balancer is not encrypted.")
            continue
        problem = _certificate_problem(lb, i, lb.config["allowIamCertificates"])
        if problem:
            yield problem


_SSL_POLICY_TYPE = "sslnegotiationpolicytype"
_REFERENCE = "reference-security-policy"


def _predefined_policy(lb, stack, port) -> tuple[str, str]:
    """(kind, name) of the TLS policy a listener port uses: ("custom", name), ("predefined", name) or
    ("default", AWS's default policy)."""
    for custom in referrers(stack, lb, T.ELB_SSL_NEGOTIATION_POLICY, "loadBalancer", ("name", "id")):
        if custom.props.get_number("lbPort") == port:
            return "custom", custom.props.get_str("name") or custom.name
    policies = referrers(stack, lb, T.ELB_LOAD_BALANCER_POLICY, "loadBalancerName", ("name", "id"))
    by_name = {p.props.get_str("policyName"): p for p in policies}
    for listener_policy in referrers(stack, lb, T.ELB_LISTENER_POLICY, "loadBalancerName", ("name", "id")):
        if listener_policy.props.get_number("loadBalancerPort") != port:
            continue
        for name in listener_policy.props.get_list("policyNames"):
            policy = by_name.get(name) if isinstance(name, str) else None
            if policy is None or (policy.props.get_str("policyTypeName") or "").lower() != _SSL_POLICY_TYPE:
                continue
            for attr in policy.props.each("policyAttributes"):
                if (attr.get_str("name") or "").lower() == _REFERENCE:
                    return "predefined", attr.get_str("value") or ""
            return "custom", name
    return "default", data.load("conformance.json")["classic_elb_default_ssl_policy"]


@stack_policy(
    name="elb-predefined-security-policy-ssl-check",
    description="Classic Load Balancer HTTPS/SSL listeners must use the predefined TLS 1.2 security policy.",
    resource_types=T.ELB_LOAD_BALANCER,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT,
    aws_config_rules=("elb-predefined-security-policy-ssl-check",), data_sources=("conformance.json",),
    config_schema={"predefinedPolicyName": {"type": "string", "default": "ELBSecurityPolicy-TLS-1-2-2017-01",
                                            "description": "The predefined security policy listeners must use."}},
    remediation="Add an aws.elb.LoadBalancerPolicy (policy_type_name 'SSLNegotiationPolicyType', attribute "
                "Reference-Security-Policy = ELBSecurityPolicy-TLS-1-2-2017-01) and an aws.elb.ListenerPolicy "
                "naming it for the listener's port.",
    violating=[
        Example({"name": "portal", "listeners": [{"lbProtocol": "https", "lbPort": 443, "instanceProtocol": "http",
                                                  "instancePort": 80, "sslCertificateId": _ACM}]},
                note="no listener policy: AWS's default ELBSecurityPolicy-2016-08 allows TLS 1.0"),
        Example({"name": "portal", "listeners": [{"lbProtocol": "ssl", "lbPort": 443, "instanceProtocol": "tcp",
                                                  "instancePort": 80, "sslCertificateId": _ACM}]},
                stack=[{"type": T.ELB_SSL_NEGOTIATION_POLICY[0], "name": "custom-tls",
                        "props": {"name": "custom-tls", "loadBalancer": "portal", "lbPort": 443}}],
                note="a custom negotiation policy"),
    ],
    compliant=[
        Example({"name": "portal", "listeners": [{"lbProtocol": "https", "lbPort": 443, "instanceProtocol": "http",
                                                  "instancePort": 80, "sslCertificateId": _ACM}]},
                stack=[{"type": T.ELB_LOAD_BALANCER_POLICY[0], "name": "tls12",
                        "props": {"loadBalancerName": "portal", "policyName": "tls12",
                                  "policyTypeName": "SSLNegotiationPolicyType",
                                  "policyAttributes": [{"name": "Reference-Security-Policy",
                                                        "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}]}},
                       {"type": T.ELB_LISTENER_POLICY[0], "name": "tls12-443",
                        "props": {"loadBalancerName": "portal", "loadBalancerPort": 443, "policyNames": ["tls12"]}}]),
        Example({"name": "portal", "listeners": [{"lbProtocol": "http", "lbPort": 80, "instanceProtocol": "http",
                                                  "instancePort": 80}]}, note="no TLS listener to check"),
    ],
)
def elb_predefined_security_policy_ssl_check(lb, stack):
    wanted = lb.config["predefinedPolicyName"]
    for i, listener in enumerate(lb.props.each("listeners")):
        if (listener.get_str("lbProtocol") or "").upper() not in SECURE_PROTOCOLS:
            continue
        kind, name = _predefined_policy(lb, stack, listener.get_number("lbPort"))
        if kind == "predefined" and name.lower() == wanted.lower():
            continue
        shown = {"custom": "a custom negotiation policy", "predefined": "another predefined policy",
                 "default": f"no policy, so AWS's default {name}"}[kind]
        yield f"listener {i} (port {lb.props.show(f'listeners.{i}.lbPort')}) uses {shown}, not {wanted}."
