import difflib

from ..names import ast_dotted
from ..provider_index import OUTPUT_METHODS, RESOURCE_BASE_ATTRIBUTES
from ..rule import AstRule, Example
from .provider_output_renamed import linked_holder, renamed_attribute


class ProviderAttributeUnknown(AstRule):
    NAME = "provider-attribute-unknown"
    DESCRIPTION = "an output property the resource class (or function result) does not have, with the nearest valid ones"
    WHY = "`AttributeError: 'Instance' object has no attribute 'endpoint_address'` while the program is constructed."
    REFERENCES = ["https://www.pulumi.com/docs/iac/concepts/inputs-outputs/"]
    VALID = ["import pulumi_aws as aws\ndb = aws.rds.Instance('db')\nx = db.endpoint\n"]
    INVALID = [Example("import pulumi_aws as aws\ndb = aws.rds.Instance('db')\nx = db.endpoint_address\n")]

    def check(self):
        index = self.ctx.index
        for node in self.ctx.facts.attributes:
            bound = self.ctx.names.binding(ast_dotted(node.value))
            if not bound or node.attr.startswith("_"):
                continue
            kind, qual = bound
            if kind not in ("resource", "function"):
                continue
            if kind == "resource":
                if node.attr == "random_password" and qual.endswith(".RandomPassword"):
                    continue  # random-password-result repairs it
                valid = set(index.resource(qual)["outputs"]) | RESOURCE_BASE_ATTRIBUTES
            else:
                entry = index.function(qual)
                valid = set(entry["result"]) | (OUTPUT_METHODS if entry["output"] else set())
            if node.attr not in valid and not renamed_attribute(index, kind, qual, node.attr) \
                    and not (kind == "resource" and linked_holder(self.ctx, ast_dotted(node.value), node.attr)):
                near = difflib.get_close_matches(node.attr, sorted(valid), n=3, cutoff=0.5)
                hint = f"; nearest: {', '.join(near)}" if near else ""
                self.report_at(node, f"{qual.split('.')[-1]} has no attribute `{node.attr}`{hint}")
