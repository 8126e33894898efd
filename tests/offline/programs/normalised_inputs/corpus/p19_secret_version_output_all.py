import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

password = random.RandomPassword("p19-pw", length=24, special=False)
secret = aws.secretsmanager.Secret("p19-secret")
aws.secretsmanager.SecretVersion(
    "p19-version",
    secret_id=secret.id,
    secret_string=pulumi.Output.all(password.result, "appuser").apply(
        lambda args: json.dumps({"password": args[0], "username": args[1], "port": 5432})),
)
