"""refresh() round trip offline: ec2 from moto, rds through botocore's Stubber (moto lacks it)."""

import json

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from policypack import data
from policypack.data import refresh as refresh_mod

ENGINES = ("postgres", "mysql")
VERSIONS = {
    ("us-east-1", "postgres"): [["15.7", "15.8"], ["16.3"]],  # two pages
    ("us-east-1", "mysql"): [["8.0.39"]],
    ("ap-southeast-1", "postgres"): [["15.7", "15.8"], ["16.3"]],
    ("ap-southeast-1", "mysql"): [["8.0.39", "8.0.40"]],
}


class FakeSession:
    """ec2 clients under moto; rds clients stubbed with the pages above (plus one deprecated entry)."""

    def __init__(self):
        self.stubbers = []

    def client(self, service, region_name):
        client = boto3.client(service, region_name=region_name)
        if service != "rds":
            return client
        stubber = Stubber(client)
        for engine in ENGINES:
            pages = VERSIONS[(region_name, engine)]
            for index, page in enumerate(pages):
                entries = [{"Engine": engine, "EngineVersion": v, "Status": "available"} for v in page]
                if index == 0:
                    entries.append({"Engine": engine, "EngineVersion": "9.6.1", "Status": "deprecated"})
                response = {"DBEngineVersions": entries}
                expected = {"Engine": engine}
                if index + 1 < len(pages):
                    response["Marker"] = f"m{index + 1}"
                if index > 0:
                    expected["Marker"] = f"m{index}"
                stubber.add_response("describe_db_engine_versions", response, expected)
        stubber.activate()
        self.stubbers.append(stubber)
        return client


@pytest.fixture
def aws_env(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        yield


def test_refresh_round_trip(aws_env, tmp_path, monkeypatch):
    import datetime as dt

    session = FakeSession()
    lines = []
    report = refresh_mod.refresh(
        regions=["us-east-1", "ap-southeast-1"], out_dir=tmp_path, session=session,
        engines=ENGINES, today=dt.date(2027, 1, 2), progress=lines.append,
    )
    for stubber in session.stubbers:
        stubber.assert_no_pending_responses()
    assert report.regions == ["us-east-1", "ap-southeast-1"]
    assert report.taken == "2027-01-02"
    assert [line.split(":")[0] for line in lines] == ["us-east-1", "ap-southeast-1"]

    versions = json.loads((tmp_path / "rds_engine_versions.json").read_text())
    zones = json.loads((tmp_path / "availability_zones.json").read_text())
    assert versions["_taken"] == zones["_taken"] == "2027-01-02"
    assert "rds:DescribeDBEngineVersions" in versions["_source"][0]
    assert "ec2:DescribeAvailabilityZones" in zones["_source"][0]
    assert versions["regions"] == ["ap-southeast-1", "us-east-1"]
    assert versions["engines"]["postgres"]["snapshot"] == ["15.7", "15.8", "16.3"]  # both pages, not deprecated
    assert versions["major_parts"] == data.load("rds_engine_versions.json")["major_parts"]
    # the two regions disagree on mysql: one of them becomes an override
    overrides = versions["region_overrides"]
    assert len(overrides) == 1 and set(next(iter(overrides.values()))) == {"mysql"}
    lists = {tuple(versions["engines"]["mysql"]["snapshot"]), tuple(next(iter(overrides.values()))["mysql"])}
    assert lists == {("8.0.39",), ("8.0.39", "8.0.40")}
    expected_zones = [z["ZoneName"] for z in boto3.client("ec2", region_name="ap-southeast-1").describe_availability_zones()["AvailabilityZones"]]
    assert zones["zones"]["ap-southeast-1"] == sorted(expected_zones)
    assert "us-east-1" in zones["regions"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_refreshed_files_are_readable_by_the_loader(aws_env, tmp_path, monkeypatch):
    refresh_mod.refresh(regions=["us-east-1", "ap-southeast-1"], out_dir=tmp_path, session=FakeSession(), engines=ENGINES)
    packaged = data.DATA_DIR
    for name in data.FILES:  # the files refresh does not write come from the package
        if not (tmp_path / name).exists():
            (tmp_path / name).write_text((packaged / name).read_text())
    monkeypatch.setattr(data, "DATA_DIR", tmp_path)
    data.reload()
    try:
        assert data.is_valid_engine_version("mysql", "8.0.40", "ap-southeast-1") is True
        assert data.is_valid_engine_version("mysql", "8.0.40", "us-east-1") is None  # newer than known there
        assert data.is_valid_engine_version("mysql", "8.0.38", "us-east-1") is False
        assert data.is_valid_engine_version("postgres", "15.7", "sa-east-1") is None  # not refreshed
        assert data.region_of_zone("ap-southeast-1a") == "ap-southeast-1"
    finally:
        monkeypatch.undo()
        data.reload()


def test_no_credentials_is_a_clear_error(monkeypatch, tmp_path):
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    session = boto3.session.Session(region_name="us-east-1")
    with pytest.raises(refresh_mod.NoCredentialsError, match=r"ec2:DescribeRegions in us-east-1"):
        refresh_mod.refresh(regions=["us-east-1"], out_dir=tmp_path, session=session)
    assert not list(tmp_path.iterdir())  # nothing written


def test_main_exits_2_without_credentials(monkeypatch, tmp_path, capsys):
    def no_credentials(**kwargs):
        raise refresh_mod.NoCredentialsError("ec2:DescribeRegions in us-east-1: no AWS credentials found")

    monkeypatch.setattr(refresh_mod, "refresh", no_credentials)
    assert refresh_mod.main(["--regions", "us-east-1", "--out-dir", str(tmp_path)]) == 2
    assert "no AWS credentials" in capsys.readouterr().err


def test_main_splits_comma_separated_regions(monkeypatch, tmp_path, capsys):
    seen = {}

    def fake_refresh(regions, out_dir, progress):
        seen.update(regions=regions, out_dir=out_dir)
        return refresh_mod.RefreshReport(taken="2027-01-02", regions=list(regions), zones={r: 3 for r in regions},
                                         versions={r: {"postgres": 2} for r in regions}, files=["a", "b"])

    monkeypatch.setattr(refresh_mod, "refresh", fake_refresh)
    assert refresh_mod.main(["--regions", "us-east-1,sa-east-1", "eu-west-1", "--out-dir", str(tmp_path)]) == 0
    assert seen == {"regions": ["us-east-1", "sa-east-1", "eu-west-1"], "out_dir": str(tmp_path)}
    assert "refreshed 3 region(s)" in capsys.readouterr().out


def test_atomic_write_leaves_old_file_on_failure(tmp_path):
    target = tmp_path / "x.json"
    target.write_text('{"old": true}')
    with pytest.raises(TypeError):
        refresh_mod.write_json_atomic(target, {"bad": object()})
    assert json.loads(target.read_text()) == {"old": True}
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
