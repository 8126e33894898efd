import os

import pulumi
from lib.tap_stack import TapStack

environment_suffix = os.environ.get("ENVIRONMENT_SUFFIX", "dev")
stack = TapStack(f"healthcare-{environment_suffix}", environment_suffix=environment_suffix)

pulumi.export("db_endpoint", stack.db_instance.endpoint)
pulumi.export("redis_endpoint", stack.redis.primary_endpoint_address)
pulumi.export("db_secret_arn", stack.db_secret.arn)
