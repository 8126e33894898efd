import pulumi
import pulumi_aws as aws


class Stack(pulumi.ComponentResource):
    def __init__(self, name: str):
        super().__init__("demo:index:Stack", name)
        import json  # used again in _policy
        self.bucket = aws.s3.Bucket(f"{name}-data", opts=pulumi.ResourceOptions(parent=self))
        self.policy = aws.iam.Policy(f"{name}-read", policy=self._policy(), opts=pulumi.ResourceOptions(parent=self))
        self.tags = json.dumps({"team": "records"})

    def _policy(self) -> str:
        return json.dumps({"Version": "2012-10-17", "Statement": []})


Stack("records")
