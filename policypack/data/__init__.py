"""Dated provider facts for the policies, read from the JSON files beside this module.

Every file carries ``_source`` (where the facts come from) and ``_taken`` (when). The accessors
answer ``None`` when the data cannot say (unknown engine, region not in the data, a version
released after the data was taken): a policy then stays silent instead of guessing.

Standard library only, loaded lazily and cached: the policy pack imports this at start-up, and
the pack's runtime has neither boto3 nor pulumi_aws. ``refresh`` (which needs boto3) is a
separate module that this one never imports.
"""

from __future__ import annotations

import datetime as _dt
import functools
import json
import re
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent

FILES = (
    "rds_engine_versions.json",
    "availability_zones.json",
    "rds_credentials.json",
    "elasticache.json",
    "aurora_serverless_v2.json",
    "identifier_limits.json",
    "lambda.json",
    "placeholders.json",
    "ports.json",
    "hipaa_security_rule.json",
    "conformance.json",
)

__all__ = [
    "DATA_DIR",
    "FILES",
    "load",
    "reload",
    "sources",
    "canonical_engine",
    "rds_engine_versions",
    "is_valid_engine_version",
    "nearest_engine_versions",
    "engine_version_repair",
    "engine_major",
    "availability_zones",
    "known_regions",
    "region_of_zone",
    "split_zone",
    "is_zone_in_region",
    "rds_username_rules",
    "is_reserved_username",
    "rds_password_rules",
    "elasticache_auth_token_rules",
    "elasticache_replication_group_id_rules",
    "aurora_serverless_v2_rules",
    "identifier_rules",
    "lambda_reserved_env_vars",
    "lambda_runtime_status",
    "placeholder_account_ids",
    "placeholder_words",
    "data_ports",
]


@functools.lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """The parsed content of one data file (cached; callers must not mutate it)."""
    if name not in FILES:
        raise KeyError(f"unknown data file {name!r}; known: {', '.join(FILES)}")
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return json.load(handle)


def reload() -> None:
    """Forget cached file contents (after ``refresh`` rewrote them)."""
    load.cache_clear()
    _effective_versions.cache_clear()
    _regions_longest_first.cache_clear()


def sources() -> dict[str, dict[str, Any]]:
    """Per data file: its ``source`` list, ``taken`` date and ``notes`` (for generated docs)."""
    result = {}
    for name in FILES:
        data = load(name)
        result[name] = {
            "source": list(data.get("_source", [])),
            "taken": data.get("_taken"),
            "notes": list(data.get("_notes", [])),
        }
    return result


# --------------------------------------------------------------------------- RDS engine versions

_TOKEN = re.compile(r"\d+|[a-z]+")


def _version_key(version: str) -> tuple:
    """Sort key: numbers compare as numbers, words as words, a number sorts after a word."""
    return tuple((1, int(t), "") if t.isdigit() else (0, 0, t) for t in _TOKEN.findall(version.lower()))


def canonical_engine(engine: str | None) -> str | None:
    """The engine name the data uses for ``engine`` (lower case; ``aurora`` -> ``aurora-mysql``)."""
    if not isinstance(engine, str) or not engine.strip():
        return None
    name = engine.strip().lower()
    return load("rds_engine_versions.json").get("aliases", {}).get(name, name)


def engine_major(engine: str, version: str) -> str | None:
    """The major version of ``version`` for ``engine``: postgres '15.4' -> '15', mysql '8.0.39' -> '8.0'.

    PostgreSQL before 10 used two parts for the major ('9.6'), as the PostgreSQL versioning
    policy describes; from 10 on, one.
    """
    name = canonical_engine(engine)
    parts_by_engine = load("rds_engine_versions.json")["major_parts"]
    if name not in parts_by_engine or not isinstance(version, str):
        return None
    numbers = re.match(r"^(\d+)(?:\.(\d+))?", version.strip())
    if not numbers:
        return None
    parts = parts_by_engine[name]
    if parts == 1 and int(numbers.group(1)) < 10:
        parts = 2
    if parts == 1:
        return numbers.group(1)
    if numbers.group(2) is None:
        return None
    return f"{numbers.group(1)}.{numbers.group(2)}"


@functools.lru_cache(maxsize=None)
def _effective_versions(engine: str) -> tuple[str, ...]:
    """The engine's snapshot with its documented later changes applied in order."""
    spec = load("rds_engine_versions.json")["engines"][engine]
    versions = list(spec.get("snapshot", []))
    for change in spec.get("changes", []):
        removed = {v.lower() for v in change.get("remove", [])}
        versions = [v for v in versions if v.lower() not in removed]
        versions += [v for v in change.get("add", []) if v not in versions]
    return tuple(sorted(set(versions), key=_version_key))


def rds_engine_versions(engine: str, region: str | None) -> list[str] | None:
    """Valid engine versions (oldest first) of ``engine`` in ``region``, or None when the data cannot say.

    ``region=None`` (a source file whose region is not known, e.g. to the fixer) means the list the data
    applies to every commercial region in ``regions``; a region the data does not hold (another partition)
    is None.
    """
    name = canonical_engine(engine)
    data = load("rds_engine_versions.json")
    if name is None or not (region is None or isinstance(region, str)):
        return None
    override = data.get("region_overrides", {}).get(region, {}) if region is not None else {}
    if name in override:
        return sorted(override[name], key=_version_key)
    if (region is not None and region not in data["regions"]) or name not in data["engines"]:
        return None
    return list(_effective_versions(name))


def is_valid_engine_version(engine: str, version: str, region: str) -> bool | None:
    """Whether ``version`` of ``engine`` can be created in ``region`` according to the data.

    True: listed, or a major-only version ('15', '8.0') whose major has a listed version.
    None: the data cannot say: unknown engine or region, a version that does not parse, or a
    version newer than everything the data knows for its major (released after the data was
    taken), or a major newer than every known major.
    False: otherwise (an older or retired version of a known major, or a major older than the
    newest known one that the data does not hold).
    """
    versions = rds_engine_versions(engine, region)
    if versions is None or not isinstance(version, str) or not version.strip():
        return None
    wanted = version.strip().lower()
    if wanted in {v.lower() for v in versions}:
        return True
    major = engine_major(engine, wanted)
    if major is None:
        return None
    by_major: dict[str, list[str]] = {}
    for v in versions:
        m = engine_major(engine, v)
        if m is not None:
            by_major.setdefault(m, []).append(v)
    if major in by_major:
        if wanted == major:
            return True
        newest = max(by_major[major], key=_version_key)
        return None if _version_key(wanted) > _version_key(newest) else False
    if not by_major:
        return None
    newest_major = max(by_major, key=_version_key)
    return None if _version_key(major) > _version_key(newest_major) else False


def nearest_engine_versions(engine: str, version: str, region: str, n: int = 3) -> list[str]:
    """Up to ``n`` valid versions closest to ``version``, best first (for messages and fixes).

    Versions of the same major come first, ordered by distance of their minor part (ties: the
    newer first); then versions of the nearest other majors, newest first within each major.
    Major-only entries ('15', '8.0') are not suggested. Empty when the data cannot say.
    """
    versions = rds_engine_versions(engine, region)
    if not versions or not isinstance(version, str) or n <= 0:
        return []
    wanted = version.strip().lower()
    major = engine_major(engine, wanted)
    concrete = [v for v in versions if engine_major(engine, v) not in (None, v.lower())]

    def minor_numbers(v: str) -> list[int]:
        return [int(t) for t in re.findall(r"\d+", v)]

    def distance(v: str) -> tuple:
        same = engine_major(engine, v) == major
        a, b = minor_numbers(v), minor_numbers(wanted)
        if same:
            width = max(len(a), len(b))
            a, b = a + [0] * (width - len(a)), b + [0] * (width - len(b))
            # first differing component decides; compare its absolute gap
            gap = next((abs(x - y) for x, y in zip(a, b) if x != y), 0)
            index = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), width)
            return (0, -index, gap, tuple(-c for c in a))
        major_gap = abs(_major_number(engine_major(engine, v)) - _major_number(major))
        return (1, major_gap, 0, tuple(-c for c in a))

    ranked = sorted((v for v in concrete if v.lower() != wanted), key=distance)
    return ranked[:n]


def engine_version_repair(engine: str, version: str, region: str | None) -> tuple[str, list[str]] | None:
    """For a version the data says is not offered, the major-only version that AWS resolves to its current
    minor, with the nearest valid versions: ``("15", ["15.7", "15.8", "15.13"])`` for postgres 15.4. None when
    the version is valid, the data cannot say, or no valid version shares its major (a retired major has no
    single right replacement)."""
    if is_valid_engine_version(engine, version, region) is not False:
        return None
    major = engine_major(engine, version)
    if major is None or is_valid_engine_version(engine, major, region) is not True:
        return None
    same_major = [v for v in nearest_engine_versions(engine, version, region, n=len(rds_engine_versions(engine, region)))
                  if engine_major(engine, v) == major][:3]
    return (major, sorted(same_major, key=_version_key)) if same_major else None


def _major_number(major: str | None) -> float:
    if not major:
        return 0.0
    try:
        return float(major)
    except ValueError:
        return 0.0


# --------------------------------------------------------------------------- availability zones


def known_regions() -> list[str]:
    """Every region name the data knows, commercial and other partitions."""
    data = load("availability_zones.json")
    names = list(data["regions"])
    for regions in data.get("other_partition_regions", {}).values():
        names += regions
    return names


def availability_zones(region: str) -> list[str] | None:
    """AZ names of ``region`` as captured (see the file's notes), or None when not in the data."""
    zones = load("availability_zones.json")["zones"].get(region)
    return list(zones) if zones is not None else None


@functools.lru_cache(maxsize=None)
def _regions_longest_first() -> tuple[str, ...]:
    return tuple(sorted(known_regions(), key=len, reverse=True))


def region_of_zone_id(zone_id: str) -> str | None:
    """The region of a zone id ('use1-az4' -> 'us-east-1'), or None when its prefix is not in the data."""
    if not isinstance(zone_id, str) or "-az" not in zone_id:
        return None
    prefix = zone_id.strip().lower().rsplit("-az", 1)[0]
    by_prefix = {p: r for r, p in load("availability_zones.json").get("zone_id_prefixes", {}).items()}
    return by_prefix.get(prefix)


def region_of_zone(zone: str) -> str | None:
    """The region a zone name belongs to ('ap-southeast-1a' -> 'ap-southeast-1').

    Local and Wavelength zones ('us-west-2-lax-1a', 'us-east-1-wl1-bos-wlz-1') map to their
    parent region. None when the name does not start with a known region followed by a zone suffix.
    """
    if not isinstance(zone, str):
        return None
    name = zone.strip().lower()
    for region in _regions_longest_first():
        if name.startswith(region):
            rest = name[len(region):]
            if re.fullmatch(r"[a-z]", rest) or re.fullmatch(r"-[a-z0-9-]+", rest):
                return region
    return None


def split_zone(zone: str) -> tuple[str, str] | None:
    """``("us-east-1", "a")`` for a plain zone name of a known region; None for local and Wavelength zones
    (they have no letter that another region's zone could take) and for names of no known region."""
    owner = region_of_zone(zone)
    if owner is None:
        return None
    rest = zone.strip().lower()[len(owner):]
    return (owner, rest) if re.fullmatch(r"[a-z]", rest) else None


def is_zone_in_region(zone: str, region: str) -> bool | None:
    """False when the zone belongs to another region; True when listed for ``region``; else None.

    A zone of the right region whose letter is not listed is None: zone letters are assigned per
    account, so the data cannot rule it out.
    """
    owner = region_of_zone(zone)
    if owner is None or not isinstance(region, str):
        return None
    if owner != region:
        return False
    zones = availability_zones(region)
    if zones is not None and zone.strip().lower() in zones:
        return True
    return None


# --------------------------------------------------------------------------- RDS credentials


def _credential_engine(engine: str) -> dict[str, Any] | None:
    data = load("rds_credentials.json")
    if not isinstance(engine, str):
        return None
    name = engine.strip().lower()
    name = data.get("aliases", {}).get(name, name)
    return data["engines"].get(name)


def rds_username_rules(engine: str) -> dict[str, Any] | None:
    """Master username rules for ``engine``: min_length, max_length, pattern, reserved, reserved_prefixes, rule."""
    spec = _credential_engine(engine)
    return dict(spec["username"]) if spec else None


def is_reserved_username(engine: str, name: str) -> bool | None:
    """Whether the engine reserves ``name`` as a master username: a reserved word or a reserved prefix,
    compared without case. None when the data does not hold the engine."""
    rules = rds_username_rules(engine)
    if rules is None or not isinstance(name, str):
        return None
    lowered = name.lower()
    return lowered in {w.lower() for w in rules.get("reserved", [])} or \
        any(lowered.startswith(p.lower()) for p in rules.get("reserved_prefixes", []))


def rds_password_rules(engine: str) -> dict[str, Any] | None:
    """Master password rules for ``engine``: min_length, max_length, charset, forbidden, rule."""
    spec = _credential_engine(engine)
    return dict(spec["password"]) if spec else None


# --------------------------------------------------------------------------- ElastiCache, Aurora


def elasticache_auth_token_rules() -> dict[str, Any]:
    """min_length, max_length, charset, allowed_specials, requires_transit_encryption, rule."""
    return dict(load("elasticache.json")["auth_token"])


def elasticache_replication_group_id_rules() -> dict[str, Any]:
    return dict(load("elasticache.json")["replication_group_id"])


def aurora_serverless_v2_rules() -> dict[str, Any]:
    """engine_mode, instance_class, min_capacity/max_capacity bounds, step, rule."""
    data = load("aurora_serverless_v2.json")
    return {k: v for k, v in data.items() if not k.startswith("_")}


# --------------------------------------------------------------------------- identifiers


def identifier_rules(type_token: str) -> dict[str, dict[str, Any]]:
    """Name rules of a Pulumi resource type, keyed by wire property name (empty when none)."""
    rules = load("identifier_limits.json")["rules"].get(type_token, {})
    return {prop: dict(rule) for prop, rule in rules.items()}


# --------------------------------------------------------------------------- Lambda


def lambda_reserved_env_vars() -> frozenset[str]:
    return frozenset(load("lambda.json")["reserved_env_vars"])


def _as_date(value: _dt.date | str | None) -> _dt.date:
    if value is None:
        return _dt.date.today()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _dt.date.fromisoformat(value)


def lambda_runtime_status(runtime: str, on_date: _dt.date | str | None = None) -> dict[str, Any] | None:
    """The runtime's lifecycle on ``on_date`` (default today), or None for a runtime not in the data.

    ``status`` is 'blocked' from the block-create date on (CreateFunction refuses the runtime),
    'deprecated' from the deprecation date on, else 'supported'. The dates are included so that a
    message can name them; a null block_create never reads as blocked.
    """
    entry = load("lambda.json")["runtimes"].get(runtime) if isinstance(runtime, str) else None
    if entry is None:
        return None
    day = _as_date(on_date)
    block_create = entry.get("block_create")
    deprecation = entry.get("deprecation")
    if block_create and day >= _dt.date.fromisoformat(block_create):
        status = "blocked"
    elif deprecation and day >= _dt.date.fromisoformat(deprecation):
        status = "deprecated"
    else:
        status = "supported"
    return {"runtime": runtime, "status": status, **entry}


# --------------------------------------------------------------------------- placeholders, ports


def placeholder_account_ids() -> frozenset[str]:
    return frozenset(load("placeholders.json")["account_ids"])


def placeholder_words() -> tuple[str, ...]:
    return tuple(load("placeholders.json")["words"])


def data_ports() -> dict[int, str]:
    """Port -> service name of the default data/admin ports."""
    return {entry["port"]: entry["name"] for entry in load("ports.json")["data_ports"]}


# --------------------------------------------------------------------------- issue 9: conformance pack facts
# Appended as a block (the tuple above is left as it was, for merges).
FILES = FILES + ("opensearch.json",)


def opensearch_facts() -> dict[str, Any]:
    """OpenSearch / Elasticsearch domain facts: TLS policies and default, instance families without encryption,
    the Elasticsearch default version and the first version that accepts encryption in place."""
    return load("opensearch.json")

FILES = FILES + ("rds_log_exports.json",)


def rds_log_types_by_engine() -> dict[str, list[str]]:
    """Per RDS engine (a key ending in '-' is a prefix), the log types to export to CloudWatch Logs."""
    return {k: list(v) for k, v in load("rds_log_exports.json")["log_types_by_engine"].items()}


__all__ += ["opensearch_facts", "rds_log_types_by_engine"]

FILES = FILES + ("redshift.json",)


def redshift_facts() -> dict[str, Any]:
    """Redshift defaults: require_ssl (and since when), automated snapshot retention default and maximum."""
    return load("redshift.json")


__all__ += ["redshift_facts"]

FILES = FILES + ("sagemaker.json",)


def sagemaker_has_local_nvme(instance_type: str | None) -> bool | None:
    """Whether a SageMaker instance type ('ml.g5.xlarge') has local NVMe instance storage; None if not a type."""
    if not isinstance(instance_type, str):
        return None
    parts = instance_type.strip().lower().split(".")
    if len(parts) < 3 or parts[0] != "ml":
        return None
    return parts[1] in load("sagemaker.json")["local_nvme_instance_families"]


__all__ += ["sagemaker_has_local_nvme"]

FILES = FILES + ("aws_config_hipaa.json",)


def aws_config_hipaa_rules() -> dict[str, Any]:
    """AWS's HIPAA conformance pack: `checkable` rule names (decidable at preview), `partial` (rule -> what a
    mapped policy still misses), `not_checkable` (rule -> why a preview cannot decide it)."""
    return load("aws_config_hipaa.json")


__all__ += ["aws_config_hipaa_rules"]
