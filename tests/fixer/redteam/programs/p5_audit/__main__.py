import pulumi
from lib.tap_stack import TapStack

stack_name = pulumi.get_stack()
audit = TapStack(f"audit-{stack_name}", stack_name)
pulumi.export("trail_arn", audit.trail.arn)
pulumi.export("reporting_db", audit.reporting_db.address)
