from ..outputs import cst_holds_output, holds_output, in_input_context, json_dumps_convertible, output_reference
from ..rule import CstRule, Example


class OutputJsonDumps(CstRule):
    NAME = "output-json-dumps"
    DESCRIPTION = "`json.dumps(...)` of a structure holding Outputs (`bucket.arn`, ...) -> `pulumi.Output.json_dumps(...)`"
    WHY = ("`json.dumps` cannot serialize an Output: `TypeError: Object of type Output is not JSON serializable` "
           "while the program is constructed. `pulumi.Output.json_dumps` waits for the Outputs inside the structure "
           "and returns an `Output[str]`, which a resource argument accepts.")
    SAFETY = "safe/report"
    REFERENCES = ["https://www.pulumi.com/docs/iac/concepts/inputs-outputs/all/#outputs-and-json",
                  "https://www.pulumi.com/docs/reference/pkg/python/pulumi/#pulumi.Output.json_dumps"]
    VALID = [
        "import json\nimport pulumi_aws as aws\naws.iam.Role('r', assume_role_policy=json.dumps({'Version': '2012-10-17'}))\n",
        "import json\nimport pulumi_aws as aws\nb = aws.s3.Bucket('b')\n"
        "aws.s3.BucketPolicy('p', bucket=b.id, policy=b.arn.apply(lambda arn: json.dumps({'Resource': arn})))\n",
    ]
    INVALID = [
        Example("import json\nimport pulumi\nimport pulumi_aws as aws\n\nkey = aws.kms.Key('k')\n"
                "aws.iam.RolePolicy(\n    'use-key',\n    role='app',\n    policy=json.dumps({\n"
                "        'Statement': [{'Effect': 'Allow', 'Action': 'kms:Decrypt', 'Resource': key.arn}],  # the CMK\n"
                "    }, indent=2),\n)\n",
                "import json\nimport pulumi\nimport pulumi_aws as aws\n\nkey = aws.kms.Key('k')\n"
                "aws.iam.RolePolicy(\n    'use-key',\n    role='app',\n    policy=pulumi.Output.json_dumps({\n"
                "        'Statement': [{'Effect': 'Allow', 'Action': 'kms:Decrypt', 'Resource': key.arn}],  # the CMK\n"
                "    }, indent=2),\n)\n"),
        Example("import json\nimport pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\n"
                "aws.s3.BucketPolicy('p', bucket=bucket.id, policy=json.dumps({'Resource': [bucket.arn]}))\n",
                "import json\nimport pulumi_aws as aws\nimport pulumi\n\nbucket = aws.s3.Bucket('logs')\n"
                "aws.s3.BucketPolicy('p', bucket=bucket.id, policy=pulumi.Output.json_dumps({'Resource': [bucket.arn]}))\n"),
        Example("import json\nimport pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\n"
                "document = json.dumps({'Resource': bucket.arn})  # used later: the type would change\n", None),
        # assigned to a name whose only use is a resource argument: the name may hold an Output
        Example("import json\nimport pulumi\nimport pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\n"
                "policy = json.dumps({'Resource': [bucket.arn, f'{bucket.arn}/*']})\n"
                "aws.s3.BucketPolicy('p', bucket=bucket.id, policy=policy)\n",
                "import json\nimport pulumi\nimport pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\n"
                "policy = pulumi.Output.json_dumps({'Resource': [bucket.arn, f'{bucket.arn}/*']})\n"
                "aws.s3.BucketPolicy('p', bucket=bucket.id, policy=policy)\n"),
        # ... but not when it is also used as a str
        Example("import json\nimport pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\n"
                "policy = json.dumps({'Resource': bucket.arn})\n"
                "aws.s3.BucketPolicy('p', bucket=bucket.id, policy=policy)\nprint(len(policy))\n", None),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(qual == "json.dumps" and any(holds_output(ctx.facts, a) for a in node.args)
                   for qual, node in ctx.facts.other_calls)

    def visit_Call(self, node):
        if self.resolve(node.func) != "json.dumps" or not any(
                a.keyword is None and cst_holds_output(self.ctx, a.value) for a in node.args):
            return
        if json_dumps_convertible(node) and in_input_context(self, node):
            ref, imports = output_reference(self.ctx)

            def replace(updated):
                import libcst as cst
                return updated.with_changes(func=cst.parse_expression(f"{ref}.json_dumps"))
            self.report(node, "json.dumps cannot serialize the Outputs in this structure; use "
                              "pulumi.Output.json_dumps", replace=replace, imports=imports)
        else:
            self.report(node, "json.dumps cannot serialize the Outputs in this structure: build it with "
                              "pulumi.Output.json_dumps(...) (an Output[str]) where a resource argument takes it, or "
                              "serialize inside .apply(...)")
