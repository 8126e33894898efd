"""Aurora Serverless v2: the scaling configuration, the cluster's engine mode and its db.serverless instances.

A stack policy because a `db.serverless` instance is only valid in a cluster that has a Serverless v2 scaling
configuration: the instance's cluster is read through its `clusterIdentifier` dependency. A cluster may mix
db.serverless and provisioned instances (AWS Aurora User Guide, "mixed-configuration clusters"), so a
provisioned class beside a scaling configuration is not reported.
"""
from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, stack_policy

_SCALING = "serverlessv2ScalingConfiguration"
_CLUSTER = "aws:rds/cluster:Cluster"
_INSTANCE = "aws:rds/clusterInstance:ClusterInstance"


def _scaling(props):
    found = props.each(_SCALING)
    return found[0] if found else None


def _mode_problem(props) -> str:
    mode = props.get_str("engineMode")
    if mode and mode.lower() != data.aurora_serverless_v2_rules()["engine_mode"]:
        return f"engineMode {props.show('engineMode')}"
    return ""


def _capacity_problems(scaling) -> list[str]:
    rules = data.aurora_serverless_v2_rules()
    low, high, step = rules["min_capacity"]["minimum"], rules["max_capacity"]["maximum"], rules["step"]
    lowest, highest = scaling.get_number("minCapacity"), scaling.get_number("maxCapacity")
    problems = []
    for name, value in (("minCapacity", lowest), ("maxCapacity", highest)):
        if value is None:
            continue
        if not low <= value <= high:
            problems.append(f"{name} {value:g} is outside {low:g}-{high:g} ACU")
        elif abs(value / step - round(value / step)) > 1e-9:
            problems.append(f"{name} {value:g} is not a multiple of {step:g} ACU")
    if lowest is not None and highest is not None and lowest > highest:
        problems.append(f"minCapacity {lowest:g} is above maxCapacity {highest:g}")
    if highest is not None and highest == 0:
        problems.append("maxCapacity must be at least the smallest non-zero capacity")
    return problems


@stack_policy(
    name="aurora-serverless-v2-valid",
    description="Aurora Serverless v2 needs a provisioned-mode Aurora cluster with a valid capacity range, and "
                "db.serverless instances need such a cluster.",
    resource_types=T.RDS_CLUSTER + T.RDS_CLUSTER_INSTANCE,
    severity="high", group="deploy",
    remediation="Set engine_mode=\"provisioned\" (or leave it unset), min_capacity/max_capacity in 0.5 ACU steps "
                "with min <= max <= 256, and give the cluster serverlessv2_scaling_configuration before adding "
                "db.serverless instances.",
    data_sources=("aurora_serverless_v2.json",),
    violating=[
        Example({"engine": "aurora-postgresql", "engineMode": "serverless",
                 _SCALING: {"minCapacity": 0.5, "maxCapacity": 2}}, note="seed 001"),
        Example({"engine": "aurora-postgresql", _SCALING: {"minCapacity": 4, "maxCapacity": 2}}),
        Example({"engine": "aurora-mysql", _SCALING: {"minCapacity": 0.75, "maxCapacity": 300}}),
        Example({"engine": "postgres", _SCALING: {"minCapacity": 0.5, "maxCapacity": 2}},
                note="not an Aurora engine"),
        Example({"instanceClass": "db.serverless", "engine": "aurora-postgresql",
                 "clusterIdentifier": "cluster-id"}, type=_INSTANCE, name="writer",
                property_dependencies={"clusterIdentifier": ["cluster"]},
                stack=[{"type": _CLUSTER, "name": "cluster", "props": {"engine": "aurora-postgresql"}}],
                note="db.serverless in a cluster without a scaling configuration"),
    ],
    compliant=[
        Example({"engine": "aurora-postgresql", "engineMode": "provisioned",
                 _SCALING: {"minCapacity": 0.5, "maxCapacity": 2}}),
        Example({"engine": "aurora-mysql", _SCALING: {"minCapacity": 0, "maxCapacity": 256}},
                note="auto-pause minimum and the largest maximum"),
        Example({"engine": "aurora-postgresql", "engineMode": "serverless"}, note="Serverless v1: not this policy"),
        Example({"instanceClass": "db.serverless", "engine": "aurora-postgresql",
                 "clusterIdentifier": "cluster-id"}, type=_INSTANCE, name="writer",
                property_dependencies={"clusterIdentifier": ["cluster"]},
                stack=[{"type": _CLUSTER, "name": "cluster",
                        "props": {"engine": "aurora-postgresql", _SCALING: {"minCapacity": 0.5, "maxCapacity": 4}}}]),
        Example({"instanceClass": "db.r6g.large", "engine": "aurora-postgresql",
                 "clusterIdentifier": "cluster-id"}, type=_INSTANCE, name="writer",
                property_dependencies={"clusterIdentifier": ["cluster"]},
                stack=[{"type": _CLUSTER, "name": "cluster",
                        "props": {"engine": "aurora-postgresql", _SCALING: {"minCapacity": 0.5, "maxCapacity": 4}}}],
                note="mixed-configuration cluster: a provisioned instance is allowed"),
        Example({"instanceClass": "db.serverless", "engine": "aurora-postgresql",
                 "clusterIdentifier": "existing-cluster"}, type=_INSTANCE,
                note="data missing: the cluster is not in the stack"),
    ],
)
def aurora_serverless_v2_valid(r, stack):
    if r.type in T.RDS_CLUSTER_INSTANCE:
        return _instance_problems(r)
    scaling = _scaling(r.props)
    if scaling is None:
        return []
    problems = []
    mode = _mode_problem(r.props)
    if mode:
        problems.append(f"{mode} beside a v2 scaling configuration: Serverless v2 needs engine mode 'provisioned'")
    engine = r.props.get_str("engine")
    engines = data.aurora_serverless_v2_rules()["engines"]
    if engine and engine.lower() not in engines:
        only = "" if r.props.is_secret("engine") else f" (only {', '.join(engines)})"
        problems.append(f"engine {r.props.show('engine')} does not support Serverless v2{only}")
    problems += _capacity_problems(scaling)
    return [f"Aurora Serverless v2: {p}." for p in problems]


def _instance_problems(r) -> list[str]:
    instance_class = r.props.get_str("instanceClass")
    if (instance_class or "").lower() != data.aurora_serverless_v2_rules()["instance_class"]:
        return []
    messages = []
    for cluster in (c for c in r.depends_on_prop("clusterIdentifier") if c.type in T.RDS_CLUSTER):
        if _scaling(cluster.props) is None:
            messages.append(f"instanceClass {r.props.show('instanceClass')} needs its cluster {cluster.name!r} to set "
                            "serverlessv2_scaling_configuration (min_capacity, max_capacity).")
        elif _mode_problem(cluster.props):
            messages.append(f"instanceClass {r.props.show('instanceClass')} needs its cluster {cluster.name!r} "
                            "in engine mode 'provisioned'.")
    return messages
