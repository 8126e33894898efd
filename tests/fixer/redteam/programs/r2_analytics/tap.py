"""Analytics lake for de-identified PHI: Glue, Athena, Redshift, OpenSearch."""
import pulumi

from lib.tap_stack import TapStack, TapStackArgs

stack = TapStack("analytics", TapStackArgs(environment_suffix=pulumi.get_stack()))
pulumi.export("workgroup", stack.workgroup.name)
pulumi.export("search_endpoint", stack.search.endpoint)
