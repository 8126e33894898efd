import ast
import re

from ..rule import AstRule, Example

# Classes whose ``certificate_arn`` keyword names the certificate a listener serves.
CERTIFICATE_CLASSES = ("pulumi_aws.lb.Listener", "pulumi_aws.alb.Listener", "pulumi_aws.lb.ListenerCertificate",
                       "pulumi_aws.alb.ListenerCertificate")
# Used when policypack/data/placeholders.json is absent. Taken 2026-11-22 from the AWS documentation's example
# account ids (IAM identifiers reference, SCP examples) and the catalog's fill-ins.
FALLBACK = {"account_ids": ["123456789012", "111122223333", "444455556666", "000000000000", "111111111111"],
            "words": ["placeholder", "example", "dummy", "xxx", "changeme", "your-", "todo", "replace"]}
_ARN_RE = re.compile(r"^arn:[^:]*:(?:acm|iam):[^:]*:([^:]*):(.*)$")
_HOLE = "\x00"  # stands for an interpolated expression of an f-string


def placeholders(ctx) -> dict:
    data = ctx.data.policypack_table("placeholders.json")
    if not data or not data.get("account_ids"):
        return FALLBACK
    return {"account_ids": data["account_ids"], "words": data.get("words", [])}


def literal_text(node) -> str | None:
    """A string literal's text; an f-string's with its expressions as holes; else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else _HOLE for v in node.values)
    return None


def placeholder_reason(text: str, table: dict) -> str | None:
    """Why an ARN text is a placeholder (account id or word in its resource part), or None."""
    m = _ARN_RE.match(text)
    if m:
        account, resource = m.group(1), m.group(2)
        if account in table["account_ids"]:
            return f"account id {account} is a documentation placeholder"
        part = resource.lower()
    elif _HOLE in text or text.startswith("arn:"):
        return None  # built at run time, or not an ACM/IAM certificate ARN
    else:
        return "it is not an ARN"
    word = next((w for w in table["words"] if w in part), None)
    return f"its certificate id contains {word!r}" if word else None


class PlaceholderCertificateArn(AstRule):
    NAME = "placeholder-certificate-arn"
    DESCRIPTION = "an HTTPS/TLS listener (or ListenerCertificate) with a literal placeholder certificate ARN"
    WHY = ("The certificate does not exist: `CertificateNotFound: Certificate 'arn:aws:acm:...:123456789012:"
           "certificate/placeholder' not found`, and the listener (and everything behind it) is never created. "
           "Issue one with `aws.acm.Certificate` (+ validation) or look up an existing one with "
           "`aws.acm.get_certificate(domain=...)`, and pass its `.arn`. Placeholders come from "
           "policypack/data/placeholders.json when present.")
    REFERENCES = ["https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-https-listener.html",
                  "https://www.pulumi.com/registry/packages/aws/api-docs/acm/certificate/"]
    VALID = ["import pulumi_aws as aws\ncert = aws.acm.Certificate('c', domain_name='app.example.org', "
             "validation_method='DNS')\naws.lb.Listener('https', load_balancer_arn=lb_arn, port=443, protocol='HTTPS', "
             "certificate_arn=cert.arn, default_actions=[])\n",
             "import pulumi_aws as aws\naws.lb.Listener('https', load_balancer_arn=lb_arn, port=443, protocol='HTTPS', "
             "certificate_arn='arn:aws:acm:us-east-1:210987654321:certificate/0f4e8c52-9b1d-4e0f-8a43-8d2c1e6b7a90', "
             "default_actions=[])\n"]
    INVALID = [
        Example("from pulumi_aws import lb\n\nlistener = lb.Listener(\n    'https',\n    load_balancer_arn=alb_arn,\n"
                "    port=443,\n    protocol='HTTPS',\n"
                "    certificate_arn='arn:aws:acm:sa-east-1:123456789012:certificate/placeholder',\n"
                "    default_actions=[],\n)\n"),
        Example("import pulumi_aws as aws\nregion = 'us-east-1'\naws.alb.ListenerCertificate('extra', listener_arn=arn, "
                "certificate_arn=f'arn:aws:acm:{region}:999999999999:certificate/example-cert')\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        return bool(ctx.facts.calls_to(*CERTIFICATE_CLASSES))

    def check(self):
        table = placeholders(self.ctx)
        for call in self.ctx.facts.calls_to(*CERTIFICATE_CLASSES):
            value = call.keywords.get("certificate_arn")
            text = literal_text(value) if value is not None else None
            reason = placeholder_reason(text, table) if text is not None else None
            if reason:
                self.report_at(value, f"{call.qualname.split('.')[-1]} uses a placeholder certificate ARN ({reason}): "
                                      "the listener cannot be created; pass a real certificate's .arn "
                                      "(aws.acm.Certificate or aws.acm.get_certificate)")
