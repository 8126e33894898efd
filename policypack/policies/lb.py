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
    resource_types=T.LB_LISTENER,
    severity="high", group="hipaa", citation="164.312(e)(1)",
    remediation="Create the certificate in the stack (aws.acm.Certificate with validation) and pass its arn, "
                "or reference an issued ACM/IAM certificate ARN of the listener's region and account.",
    violating=[
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/placeholder"}),
        Example({"protocol": "HTTPS", "port": 443}, note="no certificate at all"),
        Example({"protocol": "TLS", "port": 443, "certificateArn": "my-cert"}, note="not an ARN"),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": _CERT.replace("us-east-1", "eu-west-1")}, note="another region's certificate"),
    ],
    compliant=[
        Example({"protocol": "HTTPS", "port": 443, "certificateArn": _CERT}),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                note="unknown at preview: the ARN of a certificate created in the stack"),
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:iam::210987654321:server-certificate/portal"}),
        Example({"protocol": "HTTP", "port": 80}),
    ],
)
def alb_https_real_certificate(r):
    if _protocol(r) not in TLS_PROTOCOLS:
        return
    if not r.props.is_set("certificateArn"):
        yield "TLS listener has no certificateArn."
        return
    cert = r.props.get_str("certificateArn")
    secret = r.props.is_secret("certificateArn")
    arn = arns.parse(cert)
    if arn is None or not _is_certificate(arn):
        yield f"certificateArn {r.props.show('certificateArn')} is not an ACM or IAM certificate ARN."
        return
    problem = arns.placeholder_problem(cert, secret=secret)
    if problem:
        yield f"certificateArn is a placeholder: {problem}; the listener would fail with CertificateNotFound."
    elif arn.service == "acm" and r.region and arn.region != r.region:
        yield (f"certificateArn is an ACM certificate of {'another region' if secret else arn.region}; "
               f"a listener in {r.region} needs a certificate from {r.region}.")


def _is_certificate(arn) -> bool:
    if arn.service == "acm":
        return arn.resource.startswith("certificate/") and len(arn.account) == 12 and bool(arn.region)
    if arn.service == "iam":
        return arn.resource.startswith("server-certificate/") and len(arn.account) == 12
    return False
