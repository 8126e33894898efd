import pulumi
from lib.tap_stack import TapStack

cfg = pulumi.Config()
stack = TapStack("claims-ingest", environment_suffix=pulumi.get_stack(),
                 replica_region=cfg.get("replicaRegion") or "us-west-2")
pulumi.export("landing_bucket", stack.landing_bucket.bucket)
pulumi.export("stream_name", stack.stream.name)
