"""AWS Backup plans: a rule that runs often enough and keeps recovery points long enough."""
import datetime as dt
import re
from typing import Optional

from policypack import data
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_NAMES = {**{m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())},
          **{d: i + 1 for i, d in enumerate("SUN MON TUE WED THU FRI SAT".split())}}
_RATE = re.compile(r"^rate\(\s*(\d+)\s+(minutes?|hours?|days?)\s*\)$", re.IGNORECASE)
_CRON = re.compile(r"^cron\((.*)\)$", re.IGNORECASE)
_WINDOW_DAYS = 70  # over ten weeks every weekly and monthly pattern repeats at least once
_UNIT_HOURS = {"minute": 1 / 60, "hour": 1, "day": 24}


def _field(text: str, low: int, high: int) -> Optional[set]:
    """The values of one cron field; None for what we do not evaluate (L, W, #: the rule stays silent)."""
    if text in ("*", "?"):
        return set(range(low, high + 1))
    values = set()
    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            if not step_text.isdigit() or int(step_text) == 0:
                return None
            step = int(step_text)
        if part in ("*", ""):
            start, end = low, high
        elif "-" in part:
            a, b = part.split("-", 1)
            start, end = _value(a), _value(b)
        else:
            start = _value(part)
            end = high if step > 1 else start
        if start is None or end is None or not (low <= start <= high and low <= end <= high):
            return None
        values.update(range(start, end + 1, step))
    return values


def _value(text: str) -> Optional[int]:
    text = text.strip().upper()
    return int(text) if text.isdigit() else _NAMES.get(text)


def longest_gap_hours(expression: str) -> Optional[float]:
    """The longest time between two runs of a Backup schedule (`cron(...)` in UTC, or `rate(...)`); None
    when the expression is not one we can evaluate."""
    rate = _RATE.match(expression.strip())
    if rate:
        return int(rate.group(1)) * _UNIT_HOURS[rate.group(2).lower().rstrip("s")]
    cron = _CRON.match(expression.strip())
    parts = cron.group(1).split() if cron else []
    if len(parts) != 6:
        return None
    fields = [_field(p, lo, hi) for p, (lo, hi) in zip(parts[:5], ((0, 59), (0, 23), (1, 31), (1, 12), (1, 7)))]
    if any(f is None for f in fields):
        return None
    minutes, hours, days, months, weekdays = fields
    start = dt.datetime(2027, 1, 1)
    runs = []
    for offset in range(_WINDOW_DAYS):
        day = start + dt.timedelta(days=offset)
        weekday = (day.isoweekday() % 7) + 1  # cron: 1 = Sunday
        if day.month in months and day.day in days and weekday in weekdays:
            runs += [day + dt.timedelta(hours=h, minutes=m) for h in sorted(hours) for m in sorted(minutes)]
    if len(runs) < 2:
        return None
    return max((b - a).total_seconds() for a, b in zip(runs, runs[1:])) / 3600


@resource_policy(
    name="backup-plan-min-frequency-and-min-retention-check",
    description="Backup plans must back up at least daily and keep recovery points at least 35 days.",
    resource_types=T.BACKUP_PLAN,
    severity="high", group="hipaa", citation=C.BACKUP,
    aws_config_rules=("backup-plan-min-frequency-and-min-retention-check",), data_sources=("conformance.json",),
    config_schema={
        "requiredFrequencyValue": {"type": "integer", "default": 1, "minimum": 1,
                                   "description": "How often a rule must run, in requiredFrequencyUnit."},
        "requiredFrequencyUnit": {"type": "string", "default": "days", "enum": ["hours", "days"],
                                  "description": "Unit of requiredFrequencyValue."},
        "requiredRetentionDays": {"type": "integer", "default": 35, "minimum": 1,
                                  "description": "Minimum days a recovery point is kept."}},
    remediation="Give the plan a rule with schedule 'cron(0 5 ? * * *)' (daily) and lifecycle.delete_after of "
                "at least 35 days (or no lifecycle: recovery points are then kept).",
    violating=[Example({"name": "phi", "rules": [{"ruleName": "weekly", "targetVaultName": "vault",
                                                  "schedule": "cron(0 5 ? * SUN *)",
                                                  "lifecycle": {"deleteAfter": 90}}]}),
               Example({"name": "phi", "rules": [{"ruleName": "daily", "targetVaultName": "vault",
                                                  "schedule": "cron(0 5 ? * * *)",
                                                  "lifecycle": {"deleteAfter": 7}}]}, note="kept 7 days")],
    compliant=[Example({"name": "phi", "rules": [{"ruleName": "daily", "targetVaultName": "vault",
                                                  "schedule": "cron(0 5 ? * * *)",
                                                  "lifecycle": {"deleteAfter": 35}}]}),
               Example({"name": "phi", "rules": [{"ruleName": "default", "targetVaultName": "vault"}]},
                       note="no schedule: AWS runs it daily; no lifecycle: kept"),
               Example({"name": "phi", "rules": [{"ruleName": "hourly", "targetVaultName": "vault",
                                                  "schedule": "cron(0 */6 ? * MON-FRI *)"}]},
                       config={"requiredFrequencyValue": 3, "requiredFrequencyUnit": "days"},
                       note="weekdays every 6 hours: the longest gap (the weekend) is under 3 days"),
               Example({"name": "phi", "rules": [{"ruleName": "odd", "targetVaultName": "vault",
                                                  "schedule": "cron(0 5 L * ? *)"}]},
                       note="a schedule we cannot evaluate: silent")],
)
def backup_plan_min_frequency_and_min_retention_check(r):
    limit_hours = r.config["requiredFrequencyValue"] * (24 if r.config["requiredFrequencyUnit"] == "days" else 1)
    retention = r.config["requiredRetentionDays"]
    problems = []
    for i, rule in enumerate(r.props.each("rules")):
        schedule = rule.get_str("schedule") or data.load("conformance.json")["backup_default_schedule"]
        gap = longest_gap_hours(schedule)
        if gap is None:
            return  # unparsable: we cannot tell how often it runs
        keep = rule.get_number("lifecycle.deleteAfter")
        issues = []
        if gap > limit_hours:
            issues.append(f"its schedule {r.props.show(f'rules.{i}.schedule')} leaves up to {gap:g} hours "
                          f"between backups (limit {limit_hours:g})")
        if keep is not None and keep < retention:
            issues.append(f"lifecycle.deleteAfter {r.props.show(f'rules.{i}.lifecycle.deleteAfter')} days is "
                          f"under {retention}")
        if not issues:
            return
        problems.append(f"rule {i}: " + " and ".join(issues))
    if problems:
        yield "no rule backs up often enough and keeps long enough: " + "; ".join(problems) + "."
    elif not r.props.each("rules"):
        yield "the plan has no rules."
