"""RDS engine settings AWS rejects at create time: engine versions and master usernames."""
import re

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_VERSIONS = "rds_engine_versions.json"
_CREDENTIALS = "rds_credentials.json"


def _engine_label(r) -> str:
    """The engine for a message: plain when known and not secret, `[secret]` otherwise."""
    return r.props.show("engine") if r.props.is_secret("engine") else (r.props.get_str("engine") or "the engine")


@resource_policy(
    name="rds-engine-version-valid",
    description="An RDS engine version must be one AWS offers for the engine in the resource's region.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER + T.RDS_CLUSTER_INSTANCE,
    severity="high", group="deploy",
    remediation="Use a version listed by `aws rds describe-db-engine-versions --engine <engine> --region <region>`, "
                "or give only the major version (engine_version=\"15\") and let AWS pick the default minor.",
    data_sources=(_VERSIONS,),
    violating=[
        Example({"engine": "postgres", "engineVersion": "15.4"}, region="us-east-1", note="seed 000"),
        Example({"engine": "postgres", "engineVersion": "15.5"}, region="ap-southeast-1", note="seed 004"),
        Example({"engine": "aurora-postgresql", "engineVersion": "11.1"}, type="aws:rds/cluster:Cluster"),
    ],
    compliant=[
        Example({"engine": "postgres", "engineVersion": "15.8"}),
        Example({"engine": "postgres", "engineVersion": "15"}, note="major only: AWS picks the minor"),
        Example({"engine": "postgres"}, note="no version: AWS picks the default"),
        Example({"engine": "postgres", "engineVersion": "15.4"}, region="xx-future-1",
                note="data missing: a region the data does not know"),
        Example({"engine": "postgres", "engineVersion": "15.99"}, note="newer than the data: may exist now"),
        Example({"engine": "custom-sqlserver-ee", "engineVersion": "15.00"}, note="an engine the data does not hold"),
    ],
)
def rds_engine_version_valid(r):
    engine, version = r.props.get_str("engine"), r.props.get_str("engineVersion")
    if not engine or not version or not r.region:
        return
    if data.is_valid_engine_version(engine, version, r.region) is not False:
        return
    label = f"{_engine_label(r)} {r.props.show('engineVersion')}"
    if r.props.is_secret("engineVersion") or r.props.is_secret("engine"):
        yield f"engine version {label} is not offered in {r.region}."
        return
    nearest = data.nearest_engine_versions(engine, version, r.region)
    major = data.engine_major(engine, version)
    hint = f"; nearest: {', '.join(nearest)}" if nearest else ""
    if major and data.is_valid_engine_version(engine, major, r.region):
        hint += f" (or the major version {major!r} alone)"
    yield f"{engine} {version} is not offered in {r.region}{hint}."


@resource_policy(
    name="rds-master-username-valid",
    description="An RDS master username must not be a reserved word of its engine and must fit the engine's rules.",
    resource_types=T.RDS_INSTANCE + T.RDS_CLUSTER,
    severity="high", group="deploy",
    remediation="Pick a name that is not reserved by the engine (for PostgreSQL not admin, rdsadmin or pg_*), "
                "e.g. dbadmin, made of letters, digits and underscores, beginning with a letter.",
    data_sources=(_CREDENTIALS,),
    violating=[
        Example({"engine": "aurora-postgresql", "masterUsername": "admin"}, type="aws:rds/cluster:Cluster",
                note="seed 003"),
        Example({"engine": "postgres", "username": "Admin"}, note="reserved words are matched without case"),
        Example({"engine": "mysql", "username": "rdsadmin"}),
        Example({"engine": "postgres", "username": "pg_owner"}, note="pg_ prefix is reserved"),
        Example({"engine": "mysql", "username": "app-user"}, note="hyphen not allowed"),
        Example({"engine": "mariadb", "username": "a_very_long_mariadb_user"}, note="over 16 characters"),
        Example({"engine": "postgres", "username": "1dbadmin"}, note="must begin with a letter"),
    ],
    compliant=[
        Example({"engine": "aurora-postgresql", "masterUsername": "dbadmin"}, type="aws:rds/cluster:Cluster"),
        Example({"engine": "aurora-mysql", "masterUsername": "admin"}, type="aws:rds/cluster:Cluster",
                note="admin is fine on MySQL engines"),
        Example({"engine": "postgres", "username": "postgres"}),
        Example({"engine": "neptune", "masterUsername": "admin"}, type="aws:rds/cluster:Cluster",
                note="data missing: an engine the data does not hold"),
        Example({"engine": "postgres", "replicateSourceDb": "arn:aws:rds:us-east-1:210987654321:db:primary"},
                note="a replica takes its source's master user"),
    ],
)
def rds_master_username_valid(r):
    prop = "masterUsername" if r.type in T.RDS_CLUSTER else "username"
    engine, name = r.props.get_str("engine"), r.props.get_str(prop)
    rules = data.rds_username_rules(engine) if engine else None
    if name is None or rules is None:
        return
    secret = r.props.is_secret(prop)
    shown = r.props.show(prop)
    label = _engine_label(r)
    lowered = name.lower()
    if lowered in {w.lower() for w in rules.get("reserved", [])}:
        example = "" if secret else " (e.g. use 'dbadmin')"
        yield f"{prop} {shown} is a reserved word of {label}; AWS refuses it as the master username{example}."
    elif any(lowered.startswith(p.lower()) for p in rules.get("reserved_prefixes", [])):
        prefixes = "a reserved prefix" if secret else " or ".join(repr(p) for p in rules["reserved_prefixes"])
        yield f"{prop} {shown} begins with {prefixes}, which {label} reserves."
    elif not rules["min_length"] <= len(name) <= rules["max_length"] or not re.fullmatch(rules["pattern"], name):
        yield f"{prop} {shown} does not fit {label}'s rule: {rules['rule']}."
