"""CloudWatch metric alarms that notify someone."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_TOPIC = "arn:aws:sns:us-east-1:210987654321:oncall"


@resource_policy(
    name="cloudwatch-alarm-action-check",
    description="CloudWatch alarms must have actions enabled, on ALARM and on INSUFFICIENT_DATA.",
    resource_types=T.CLOUDWATCH_METRIC_ALARM,
    severity="low", group="hipaa", citation=C.AUDIT, enforcement="advisory",
    aws_config_rules=("cloudwatch-alarm-action-check",),
    config_schema={"okActionRequired": {"type": "boolean", "default": False,
                                        "description": "Require okActions too."}},
    remediation="Set alarm_actions and insufficient_data_actions (an SNS topic of the on-call team) and leave "
                "actions_enabled unset or True.",
    violating=[Example({"metricName": "CPUUtilization", "alarmActions": [_TOPIC]}, note="no insufficient-data action"),
               Example({"metricName": "CPUUtilization", "alarmActions": [_TOPIC], "insufficientDataActions": [_TOPIC],
                        "actionsEnabled": False}),
               Example({"metricName": "CPUUtilization", "alarmActions": [_TOPIC], "insufficientDataActions": [_TOPIC]},
                       config={"okActionRequired": True})],
    compliant=[Example({"metricName": "CPUUtilization", "alarmActions": [_TOPIC],
                        "insufficientDataActions": [_TOPIC]})],
)
def cloudwatch_alarm_action_check(r):
    if r.props.get_bool("actionsEnabled") is False:
        yield "actionsEnabled is false: the alarm notifies no one."
        return
    wanted = ["alarmActions", "insufficientDataActions"] + (["okActions"] if r.config["okActionRequired"] else [])
    missing = [k for k in wanted if not r.props.is_set(k)]
    if missing:
        yield f"{', '.join(missing)} empty: a state change notifies no one."
