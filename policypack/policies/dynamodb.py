"""DynamoDB: point-in-time recovery, and auto scaling of provisioned capacity (AWS Config HIPAA pack rules).

Tables are always encrypted at rest (an AWS-owned key by default); the pack's CMK rule left AWS's HIPAA
conformance pack in 2022, so there is no encryption policy here.
"""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.relations import names_of, referrers_named
from policypack.policies._remedies import in_block
from policypack.policy import Example, resource_policy, stack_policy

_TARGET, _SCALING = T.APPAUTOSCALING_TARGET[0], T.APPAUTOSCALING_POLICY[0]


@resource_policy(
    name="dynamodb-pitr-enabled",
    description="DynamoDB tables (and each replica) must have point-in-time recovery on.",
    resource_types=T.DYNAMODB_TABLE,
    severity="high", group="hipaa", citation=C.BACKUP, aws_config_rules=("dynamodb-pitr-enabled",),
    remediation="Set point_in_time_recovery={'enabled': True} on the table and point_in_time_recovery=True on "
                "each replica: DynamoDB then keeps continuous backups for the recovery period (35 days by default).",
    violating=[
        Example({"name": "patients", "hashKey": "id"}, note="no pointInTimeRecovery block means off"),
        Example({"name": "patients", "pointInTimeRecovery": {"enabled": False}}),
        Example({"name": "patients", "pointInTimeRecovery": {"enabled": True},
                 "replicas": [{"regionName": "us-west-2"}]}, note="a replica's pointInTimeRecovery unset means off"),
    ],
    compliant=[
        Example({"name": "patients", "pointInTimeRecovery": {"enabled": True}}),
        Example({"name": "patients", "pointInTimeRecovery": {"enabled": True},
                 "replicas": [{"regionName": "us-west-2", "pointInTimeRecovery": True}]}),
    ],
)
def dynamodb_pitr_enabled(r):
    if r.props.get_bool("pointInTimeRecovery.enabled") is not True:
        yield (f"pointInTimeRecovery.enabled is {r.props.show('pointInTimeRecovery.enabled')}: the table cannot be "
               "restored to a point in time after an accidental write or delete.")
    for i, replica in enumerate(r.props.each("replicas")):
        if replica.get_bool("pointInTimeRecovery") is not True:
            yield (f"replica {r.props.show(f'replicas.{i}.regionName')} has pointInTimeRecovery "
                   f"{r.props.show(f'replicas.{i}.pointInTimeRecovery')}: that copy has no point-in-time recovery.")


@dynamodb_pitr_enabled.remediator
def _(r):
    changes = in_block(r, "pointInTimeRecovery", "enabled", True)
    replicas = r.props.get("replicas")
    if isinstance(replicas, list):
        for i, replica in enumerate(replicas):
            if isinstance(replica, dict):
                changes[f"replicas.{i}.pointInTimeRecovery"] = True
    return changes


_READ_WRITE = ("ReadCapacityUnits", "WriteCapacityUnits")


def _scaled_dimensions(table, stack) -> set:
    """(index name or None, dimension) pairs with both a scalable target and a scaling policy in the stack.

    A target or policy whose `resourceId` is unknown but which depends on the table counts for the table's
    own dimensions; for an index it cannot be placed, so ("?", dimension) is recorded."""
    table_names = names_of(table, ("name", "id"))
    index_names = [str(g.get("name")) for g in table.props.get_list("globalSecondaryIndexes") if isinstance(g, dict)]
    resource_ids = {f"table/{n}" for n in table_names}
    resource_ids |= {f"table/{n}/index/{i.lower()}" for n in table_names for i in index_names}
    covered = {}
    for kind, types in (("target", T.APPAUTOSCALING_TARGET), ("policy", T.APPAUTOSCALING_POLICY)):
        found = referrers_named(table, stack, types, "resourceId", resource_ids)
        if kind == "policy":  # policies usually take resourceId from their target
            for target in referrers_named(table, stack, T.APPAUTOSCALING_TARGET, "resourceId", resource_ids):
                found += [p for p in referrers_named(target, stack, types, "resourceId", names_of(target, ("resourceId",)))
                          if p not in found]
        pairs = set()
        for item in found:
            namespace = item.props.peek("serviceNamespace")
            if isinstance(namespace, str) and namespace.lower() != "dynamodb":
                continue
            dimension = item.props.peek("scalableDimension")
            resource_id = item.props.peek("resourceId")
            if not isinstance(dimension, str):
                continue
            parts = dimension.split(":")
            if len(parts) != 3:
                continue
            if parts[1] == "table":
                pairs.add((None, parts[2]))
            elif isinstance(resource_id, str) and "/index/" in resource_id:
                pairs.add((resource_id.split("/index/", 1)[1].lower(), parts[2]))
            else:
                pairs.add(("?", parts[2]))
        covered[kind] = pairs
    return covered["target"] & covered["policy"]


@stack_policy(
    name="dynamodb-autoscaling-enabled",
    description="DynamoDB tables in provisioned mode should scale read and write capacity with Application "
                "Auto Scaling (table and every global secondary index).",
    resource_types=T.DYNAMODB_TABLE,
    severity="medium", group="hipaa", citation=C.AVAILABILITY, enforcement="advisory",
    aws_config_rules=("dynamodb-autoscaling-enabled",),
    remediation="Use billing_mode='PAY_PER_REQUEST', or add an aws.appautoscaling.Target and an "
                "aws.appautoscaling.Policy (service_namespace 'dynamodb', resource_id 'table/<name>') for "
                "dynamodb:table:ReadCapacityUnits and WriteCapacityUnits, and for each index "
                "('table/<name>/index/<index>', dynamodb:index:...).",
    violating=[
        Example({"name": "patients", "readCapacity": 5, "writeCapacity": 5}, name="patients",
                note="billingMode unset means PROVISIONED, with fixed capacity"),
        Example({"name": "patients", "billingMode": "PROVISIONED"}, name="patients", stack=[
            {"type": _TARGET, "name": "read", "props": {"serviceNamespace": "dynamodb", "resourceId": "table/patients",
                                                       "scalableDimension": "dynamodb:table:ReadCapacityUnits"}},
            {"type": _SCALING, "name": "read-policy", "property_dependencies": {"resourceId": ["read"]},
             "props": {"serviceNamespace": "dynamodb", "resourceId": "table/patients",
                       "scalableDimension": "dynamodb:table:ReadCapacityUnits"}}],
            note="reads scale, writes do not"),
    ],
    compliant=[
        Example({"name": "patients", "billingMode": "PAY_PER_REQUEST"}, name="patients"),
        Example({"name": "patients"}, name="patients", stack=[
            {"type": t, "name": f"{d}-{t[-6:]}", "property_dependencies": {"resourceId": ["patients"]},
             "props": {"serviceNamespace": "dynamodb", "resourceId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                       "scalableDimension": f"dynamodb:table:{d}CapacityUnits"}}
            for t in (_TARGET, _SCALING) for d in ("Read", "Write")],
            note="resourceId unknown at preview: placed through propertyDependencies"),
    ],
)
def dynamodb_autoscaling_enabled(table, stack):
    if (table.props.get_str("billingMode") or "PROVISIONED").upper() != "PROVISIONED":
        return
    covered = _scaled_dimensions(table, stack)
    wanted = [(None, d, "table") for d in _READ_WRITE]
    for k, index in enumerate(table.props.get_list("globalSecondaryIndexes")):
        if isinstance(index, dict) and isinstance(index.get("name"), str):
            label = f"index {table.props.show(f'globalSecondaryIndexes.{k}.name')}"
            wanted += [(index["name"].lower(), d, label) for d in _READ_WRITE]
    missing = [f"{label} {d}" for i, d, label in wanted
               if (i, d) not in covered and not (i is not None and ("?", d) in covered)]
    if missing:
        what = ", ".join(missing)
        yield (f"billingMode is {table.props.show('billingMode')} (provisioned) and no Application Auto Scaling "
               f"target with a policy covers: {what}; load above the fixed capacity is throttled.")
