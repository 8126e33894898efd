"""Rebuild rds_engine_versions.json and availability_zones.json from the AWS APIs.

Needs boto3 and credentials (it is a maintainer tool, not part of the pack's runtime). Calls, per
region: ``ec2.describe_availability_zones`` and, per engine, ``rds.describe_db_engine_versions``
(paginated). The files it writes hold only the regions it refreshed, dated with the day of the
run, so that no list claims a date it was not taken on. Files are written atomically.

Wired by the CLI as ``policypack data refresh [--regions R ...] [--out-dir DIR]`` through ``main``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from policypack import data as _data

DEFAULT_ENGINES = ("postgres", "aurora-postgresql", "mysql", "aurora-mysql", "mariadb")
ENGINE_VERSIONS_FILE = "rds_engine_versions.json"
ZONES_FILE = "availability_zones.json"
_BOOTSTRAP_REGION = "us-east-1"


class RefreshError(RuntimeError):
    """A call failed; the message names the API and the region."""


class NoCredentialsError(RefreshError):
    """No usable AWS credentials were found."""


@dataclass
class RefreshReport:
    taken: str
    regions: list[str] = field(default_factory=list)
    versions: dict[str, dict[str, int]] = field(default_factory=dict)  # region -> engine -> count
    zones: dict[str, int] = field(default_factory=dict)  # region -> zone count
    files: list[str] = field(default_factory=list)


def _call(api: str, region: str, fn: Callable[[], Any]) -> Any:
    """Run one AWS call, turning botocore errors into RefreshError naming the API and region."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError as _NoCreds
    from botocore.exceptions import PartialCredentialsError

    try:
        return fn()
    except (_NoCreds, PartialCredentialsError) as exc:
        raise NoCredentialsError(
            f"{api} in {region}: no AWS credentials found ({exc}). Configure credentials "
            "(AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or an SSO login) and retry."
        ) from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", str(exc))
        if code in {"AuthFailure", "UnrecognizedClientException", "InvalidClientTokenId", "ExpiredToken"}:
            raise NoCredentialsError(f"{api} in {region}: credentials rejected ({code}: {message})") from exc
        raise RefreshError(f"{api} in {region}: {code}: {message}") from exc
    except BotoCoreError as exc:
        raise RefreshError(f"{api} in {region}: {exc}") from exc


def _session(session: Any) -> Any:
    if session is not None:
        return session
    import boto3  # imported here: the pack's runtime does not have boto3

    return boto3.session.Session()


def enabled_regions(session: Any) -> list[str]:
    """Regions enabled for the account (ec2 describe_regions from us-east-1)."""
    ec2 = session.client("ec2", region_name=_BOOTSTRAP_REGION)
    answer = _call("ec2:DescribeRegions", _BOOTSTRAP_REGION, lambda: ec2.describe_regions(AllRegions=False))
    return sorted(r["RegionName"] for r in answer.get("Regions", []))


def fetch_zones(ec2: Any, region: str) -> list[str]:
    """Names of the region's standard availability zones (Local and Wavelength zones excluded)."""
    answer = _call("ec2:DescribeAvailabilityZones", region, ec2.describe_availability_zones)
    return sorted(
        z["ZoneName"]
        for z in answer.get("AvailabilityZones", [])
        if z.get("ZoneType", "availability-zone") == "availability-zone"
    )


def fetch_engine_versions(rds: Any, region: str, engine: str) -> list[str]:
    """Creatable versions of ``engine`` in ``region``: every page, Status 'available' only."""

    def collect() -> list[str]:
        found = []
        for page in rds.get_paginator("describe_db_engine_versions").paginate(Engine=engine):
            for entry in page.get("DBEngineVersions", []):
                if entry.get("Status", "available") == "available":
                    found.append(entry["EngineVersion"])
        return found

    return sorted(set(_call("rds:DescribeDBEngineVersions", region, collect)), key=_data._version_key)


def write_json_atomic(path: Path, content: dict[str, Any]) -> None:
    """Write JSON to a temporary file beside ``path`` then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(content, handle, indent=1)
            handle.write("\n")
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build_engine_versions_doc(
    per_region: dict[str, dict[str, list[str]]], taken: str, previous: dict[str, Any]
) -> dict[str, Any]:
    """The rds_engine_versions.json content: per engine the most common list, other regions as overrides."""
    engines: dict[str, Any] = {}
    overrides: dict[str, dict[str, list[str]]] = {}
    engine_names = sorted({e for lists in per_region.values() for e in lists})
    for engine in engine_names:
        counts = Counter(tuple(lists[engine]) for lists in per_region.values() if engine in lists)
        common = list(counts.most_common(1)[0][0])
        engines[engine] = {"source": "rds:DescribeDBEngineVersions", "as_of": taken, "snapshot": common}
        for region, lists in per_region.items():
            if engine in lists and lists[engine] != common:
                overrides.setdefault(region, {})[engine] = lists[engine]
    return {
        "_source": [
            "AWS API rds:DescribeDBEngineVersions (boto3 describe_db_engine_versions, paginated, per engine "
            "per region, Status 'available'), written by policypack/data/refresh.py"
        ],
        "_taken": taken,
        "_notes": [
            "Generated by `policypack data refresh`: 'snapshot' is the list most regions returned, "
            "'region_overrides' the regions that returned another list. Only the refreshed regions are covered.",
        ],
        "major_parts": previous.get("major_parts", {}),
        "aliases": previous.get("aliases", {}),
        "regions": sorted(per_region),
        "engines": engines,
        "region_overrides": overrides,
    }


def build_zones_doc(zones: dict[str, list[str]], all_regions: Iterable[str], taken: str, previous: dict[str, Any]) -> dict[str, Any]:
    return {
        "_source": [
            "AWS API ec2:DescribeAvailabilityZones (ZoneType availability-zone) per region and "
            "ec2:DescribeRegions (AllRegions) for the region list, written by policypack/data/refresh.py"
        ],
        "_taken": taken,
        "_notes": [
            "Generated by `policypack data refresh`. Zone letters are mapped per account: these are the "
            "names the refreshing account sees.",
        ],
        "regions": sorted(set(all_regions) | set(zones)),
        "other_partition_regions": previous.get("other_partition_regions", {}),
        "zones": dict(sorted(zones.items())),
        # zone-id prefixes are the same in every account: kept from the shipped data
        "zone_id_prefixes": previous.get("zone_id_prefixes", {}),
    }


def refresh(
    regions: Sequence[str] | None = None,
    out_dir: str | os.PathLike[str] = _data.DATA_DIR,
    session: Any = None,
    engines: Sequence[str] = DEFAULT_ENGINES,
    today: _dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Query AWS and rewrite the two files in ``out_dir``; nothing is written if any call fails."""
    session = _session(session)
    say = progress or (lambda message: None)
    taken = (today or _dt.date.today()).isoformat()
    if not regions:
        regions = enabled_regions(session)
    ec2 = session.client("ec2", region_name=_BOOTSTRAP_REGION)
    answer = _call("ec2:DescribeRegions", _BOOTSTRAP_REGION, lambda: ec2.describe_regions(AllRegions=True))
    all_regions = [r["RegionName"] for r in answer.get("Regions", [])]

    report = RefreshReport(taken=taken)
    zones: dict[str, list[str]] = {}
    versions: dict[str, dict[str, list[str]]] = {}
    for region in regions:
        zones[region] = fetch_zones(session.client("ec2", region_name=region), region)
        rds = session.client("rds", region_name=region)
        versions[region] = {engine: fetch_engine_versions(rds, region, engine) for engine in engines}
        # an engine the region does not offer returns nothing: leave it out rather than claim "none valid"
        versions[region] = {e: v for e, v in versions[region].items() if v}
        report.regions.append(region)
        report.zones[region] = len(zones[region])
        report.versions[region] = {e: len(v) for e, v in versions[region].items()}
        counts = ", ".join(f"{e} {n}" for e, n in report.versions[region].items()) or "no engines"
        say(f"{region}: {len(zones[region])} zones; {counts}")

    out = Path(out_dir)
    previous_versions = _read(out / ENGINE_VERSIONS_FILE, ENGINE_VERSIONS_FILE)
    previous_zones = _read(out / ZONES_FILE, ZONES_FILE)
    write_json_atomic(out / ENGINE_VERSIONS_FILE, build_engine_versions_doc(versions, taken, previous_versions))
    write_json_atomic(out / ZONES_FILE, build_zones_doc(zones, all_regions, taken, previous_zones))
    report.files = [str(out / ENGINE_VERSIONS_FILE), str(out / ZONES_FILE)]
    if out.resolve() == _data.DATA_DIR:
        _data.reload()
    return report


def _read(path: Path, name: str) -> dict[str, Any]:
    """The current content of a data file (falling back to the packaged one) for fields kept as is."""
    for candidate in (path, _data.DATA_DIR / name):
        if candidate.exists():
            with open(candidate, encoding="utf-8") as handle:
                return json.load(handle)
    return {}


def main(argv: Sequence[str] | None = None) -> int:
    """``policypack data refresh``: 0 on success, 2 when AWS could not be queried."""
    parser = argparse.ArgumentParser(
        prog="policypack data refresh",
        description="Rebuild the RDS engine-version and availability-zone data from the AWS APIs.",
    )
    parser.add_argument(
        "--regions", nargs="+", metavar="REGION",
        help="regions to query (space or comma separated); default: every region enabled for the account",
    )
    parser.add_argument("--out-dir", default=str(_data.DATA_DIR), help="directory to write (default: the package's data)")
    args = parser.parse_args(argv)
    regions = [r for item in (args.regions or []) for r in item.split(",") if r] or None
    try:
        report = refresh(regions=regions, out_dir=args.out_dir, progress=print)
    except NoCredentialsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RefreshError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(sum(v.values()) for v in report.versions.values())
    print(
        f"refreshed {len(report.regions)} region(s) on {report.taken}: "
        f"{sum(report.zones.values())} zones, {total} engine versions; wrote {', '.join(report.files)}"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
