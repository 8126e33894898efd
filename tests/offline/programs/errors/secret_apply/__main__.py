import pulumi

port = pulumi.Output.secret("S3cr3t-ERR").apply(lambda v: int(v))
pulumi.export("port", port)
