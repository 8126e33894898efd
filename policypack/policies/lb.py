"""Load balancer listeners: TLS with a certificate that exists, and HTTP only as a redirect."""
from policypack import arns
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

TLS_PROTOCOLS = ("HTTPS", "TLS")
_CERT = "arn:aws:acm:us-east-1:210987654321:certificate/5e1c6c2a-4f7a-4f3e-9a51-3f0c2b7d9e10"


def _protocol(r) -> str:
    return (r.props.get_str("protocol") or "").upper()


@resource_policy(
    name="alb-https-real-certificate",
    description="HTTPS and TLS listeners must use a real certificate of their region, not a placeholder.",
    resource_types=T.LB_LISTENER + T.LB_LISTENER_CERTIFICATE,
    severity="high", group="hipaa",
    citation=("164.312(e)(1)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)", "164.312(e)(2)(i)"),
    aws_config_rules=("elbv2-acm-certificate-required",),
    remediation="Create the certificate in the stack (aws.acm.Certificate with validation) and pass its arn, "
                "or reference an issued ACM certificate ARN of the listener's region and account (IAM server "
                "certificates only with allowIamCertificates).",
    config_schema={"allowIamCertificates": {
        "type": "boolean", "default": False,
        "description": "Accept IAM server certificates (elbv2-acm-certificate-required asks for ACM ones)."}},
    violating=[
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/placeholder"}),
        Example({"protocol": "HTTPS", "port": 443}, note="no certificate at all"),
        Example({"protocol": "TLS", "port": 443, "certificateArn": "my-cert"}, note="not an ARN"),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": _CERT.replace("us-east-1", "eu-west-1")}, note="another region's certificate"),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:iam::210987654321:server-certificate/portal"},
                note="an IAM server certificate: ACM renews and guards keys"),
        Example({"listenerArn": "arn:aws:elasticloadbalancing:us-east-1:210987654321:listener/app/portal/1/2",
                 "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/placeholder"},
                type=T.LB_LISTENER_CERTIFICATE[0], note="an extra certificate of a listener"),
    ],
    compliant=[
        Example({"protocol": "HTTPS", "port": 443, "certificateArn": _CERT}),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                note="unknown at preview: the ARN of a certificate created in the stack"),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:iam::210987654321:server-certificate/portal"},
                config={"allowIamCertificates": True}),
        Example({"listenerArn": "arn:aws:elasticloadbalancing:us-east-1:210987654321:listener/app/portal/1/2",
                 "certificateArn": _CERT}, type=T.LB_LISTENER_CERTIFICATE[0]),
        Example({"protocol": "HTTP", "port": 80}),
    ],
)
def alb_https_real_certificate(r):
    if r.type in T.LB_LISTENER and _protocol(r) not in TLS_PROTOCOLS:
        return
    if not r.props.is_set("certificateArn"):
        yield "TLS listener has no certificateArn."
        return
    allow_iam = r.config.get("allowIamCertificates") is True
    if r.props.is_unknown("certificateArn") and not allow_iam and _fed_by_iam_certificate(r):
        yield "certificateArn is an IAM server certificate of the stack: use an ACM certificate."
        return
    cert = r.props.get_str("certificateArn")
    secret = r.props.is_secret("certificateArn")
    arn = arns.parse(cert)
    if arn is None or not _is_certificate(arn):
        yield f"certificateArn {r.props.show('certificateArn')} is not an ACM or IAM certificate ARN."
        return
    problem = arns.placeholder_problem(cert, secret=secret)
    if arn.service == "iam" and not allow_iam:
        yield "certificateArn is an IAM server certificate: use an ACM certificate (or set allowIamCertificates)."
    elif problem:
        yield f"certificateArn is a placeholder: {problem}; the listener would fail with CertificateNotFound."
    elif arn.service == "acm" and r.region and arn.region != r.region:
        yield (f"certificateArn is an ACM certificate of {'another region' if secret else arn.region}; "
               f"a listener in {r.region} needs a certificate from {r.region}.")


def _fed_by_iam_certificate(r) -> bool:
    """Whether the stack's propertyDependencies show an aws.iam.ServerCertificate feeding certificateArn (at
    AnalyzeStack; the URN's last type segment names the resource's type)."""
    urns = getattr(r, "property_dependency_urns", {}).get("certificateArn", [])
    return any(u.split("::")[-2].split("$")[-1] in T.IAM_SERVER_CERTIFICATE for u in urns if u.count("::") >= 3)


def _is_certificate(arn) -> bool:
    if arn.service == "acm":
        return arn.resource.startswith("certificate/") and len(arn.account) == 12 and bool(arn.region)
    if arn.service == "iam":
        return arn.resource.startswith("server-certificate/") and len(arn.account) == 12
    return False


def _redirects_to_https(action) -> bool:
    return ((action.get_str("type") or "").lower() == "redirect"
            and (action.get_str("redirect.protocol") or "").upper() == "HTTPS")


@resource_policy(
    name="alb-http-redirects-to-https",
    description="An HTTP listener may only redirect to HTTPS, never serve content in plaintext.",
    resource_types=T.LB_LISTENER,
    severity="medium", group="hipaa",
    citation=("164.312(e)(1)", "164.312(a)(2)(iv)", "164.312(e)(2)(ii)", "164.312(e)(2)(i)"),
    aws_config_rules=("alb-http-to-https-redirection-check",), enforcement="advisory",
    remediation="Give the HTTP listener a single default action of type 'redirect' with protocol 'HTTPS', "
                "port '443' and status_code 'HTTP_301', and serve the application from an HTTPS listener.",
    violating=[
        Example({"protocol": "HTTP", "port": 80,
                 "defaultActions": [{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:"
                                     "us-east-1:210987654321:targetgroup/app/0123456789abcdef"}]}),
        Example({"protocol": "HTTP", "port": 80,
                 "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTP", "port": "8080",
                                                                       "statusCode": "HTTP_302"}}]},
                note="a redirect that stays on HTTP"),
        Example({"port": 80, "defaultActions": [{"type": "fixed-response",
                                                 "fixedResponse": {"contentType": "text/plain"}}]},
                note="an application load balancer listener without protocol is HTTP"),
    ],
    compliant=[
        Example({"protocol": "HTTP", "port": 80,
                 "defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443",
                                                                       "statusCode": "HTTP_301"}}]}),
        Example({"protocol": "HTTPS", "port": 443, "certificateArn": _CERT,
                 "defaultActions": [{"type": "forward", "targetGroupArn": "arn:aws:elasticloadbalancing:"
                                     "us-east-1:210987654321:targetgroup/app/0123456789abcdef"}]}),
        Example({"protocol": "TCP", "port": 5432, "defaultActions": [{"type": "forward"}]},
                note="a network load balancer TCP listener is not HTTP"),
    ],
)
def alb_http_redirects_to_https(r):
    protocol = _protocol(r)
    if protocol not in ("HTTP", ""):
        return
    if protocol == "" and not r.props.is_set("port"):
        return  # a Gateway Load Balancer listener has neither protocol nor port
    actions = r.props.each("defaultActions")
    for i, action in enumerate(actions):
        if not _redirects_to_https(action):
            # Wording avoids echoing property text (protocol names, action types) except through `show`.
            yield (f"plaintext listener: default action {i} (type {r.props.show(f'defaultActions.{i}.type')}) "
                   "does not send clients to https, so data can travel unencrypted.")
            return
    if not actions:
        yield "plaintext listener has no default action sending clients to https."
