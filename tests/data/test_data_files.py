"""Every data file is dated and sourced, and its rules are usable as written."""

import datetime as dt
import json
import re

import pytest

from policypack import data


@pytest.mark.parametrize("name", data.FILES)
def test_file_has_source_and_date(name):
    content = json.loads((data.DATA_DIR / name).read_text(encoding="utf-8"))
    assert isinstance(content["_source"], list) and content["_source"], name
    assert all(isinstance(s, str) and s.strip() for s in content["_source"])
    taken = dt.date.fromisoformat(content["_taken"])
    assert dt.date(2024, 1, 1) <= taken <= dt.date.today()


def test_every_json_file_in_the_package_is_registered():
    on_disk = {p.name for p in data.DATA_DIR.glob("*.json")}
    assert on_disk == set(data.FILES)


def test_sources_lists_every_file_with_its_date():
    result = data.sources()
    assert set(result) == set(data.FILES)
    assert result["rds_engine_versions.json"]["taken"] == data.load("rds_engine_versions.json")["_taken"]
    assert any("cfn-lint" in s for s in result["rds_engine_versions.json"]["source"])


def test_identifier_patterns_compile_and_agree_with_lengths():
    for token, props in data.load("identifier_limits.json")["rules"].items():
        for prop, rule in props.items():
            re.compile(rule["pattern"])
            assert 1 <= rule["min_length"] <= rule["max_length"], (token, prop)
            assert rule["rule"] and rule["source"], (token, prop)


def test_engine_lists_cover_the_required_engines_and_regions():
    content = data.load("rds_engine_versions.json")
    assert {"postgres", "mysql", "mariadb", "aurora-postgresql", "aurora-mysql"} <= set(content["engines"])
    assert {"us-east-1", "ap-southeast-1", "sa-east-1"} <= set(content["regions"])
