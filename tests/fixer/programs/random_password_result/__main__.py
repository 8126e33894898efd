import pulumi_aws as aws
import pulumi_random as random


class Database:
    def __init__(self, name: str):
        self.password = random.RandomPassword(f"{name}-password", length=24, special=False)
        self.instance = aws.rds.Instance(
            f"{name}-db",
            engine="postgres",
            instance_class="db.t3.micro",
            allocated_storage=20,
            username="appuser",
            password=self.password.random_password,  # the generated value
            storage_encrypted=True,
        )


Database("orders")
