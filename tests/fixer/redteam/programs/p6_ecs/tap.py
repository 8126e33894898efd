import pulumi
from lib.tap_stack import TapStack

TapStack("tap", environment_suffix=pulumi.Config().get("environmentSuffix") or "dev")
