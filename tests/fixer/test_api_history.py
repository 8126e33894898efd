"""The API history: the static index reads any major's layout, the diff pairs by type token and type, the
builder works from archives (no network in tests), and the shipped data is what the rules read."""
import json
import lzma
import zipfile

import pytest

from fixer import api_history
from fixer.api_history import build, diff, keyword_answer, rank_keywords, shipped_index, shipped_majors
from fixer.cli import main
from fixer.provider_index import ProviderIndex, type_shape

RESOURCE_V1 = '''
class Widget(pulumi.CustomResource):
    def _internal_init(__self__,
                 resource_name: str,
                 opts: Optional[pulumi.ResourceOptions] = None,
                 lifecycle_policy: Optional[pulumi.Input['WidgetLifecyclePolicyArgs']] = None,
                 owner_id: Optional[pulumi.Input[str]] = None,
                 size: Optional[pulumi.Input[int]] = None,
                 __props__=None):
        if size is None and not opts.urn:
            raise TypeError("Missing required property 'size'")
        super(Widget, __self__).__init__(
            'demo:things/widget:Widget',
            resource_name, __props__, opts)

    @property
    @pulumi.getter(name="childrens")
    def childrens(self) -> pulumi.Output[Sequence[str]]:
        return pulumi.get(self, "childrens")
'''
RESOURCE_V2 = '''
@pulumi.type_token("demo:things/widget:Widget")
class Gadget(pulumi.CustomResource):
    def _internal_init(__self__,
                 resource_name: str,
                 opts: Optional[pulumi.ResourceOptions] = None,
                 lifecycle_policies: Optional[pulumi.Input[Sequence[pulumi.Input['GadgetLifecyclePolicyArgs']]]] = None,
                 owner: Optional[pulumi.Input[_builtins.str]] = None,
                 size: Optional[pulumi.Input[_builtins.int]] = None,
                 __props__=None):
        pass

    @property
    @pulumi.getter
    def children(self) -> pulumi.Output[Sequence[str]]:
        return pulumi.get(self, "children")
'''
INPUTS = '''
@pulumi.input_type
class {name}LifecyclePolicyArgs:
    def __init__(__self__, *,
                 transition: Optional[pulumi.Input[{str}]] = None):
        pass
'''


def _wheel(path, version, resource_file, resource_source, args_prefix, str_type):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("pulumi_aws/__init__.py", "")
        zf.writestr("pulumi_aws/things/__init__.py", "")
        zf.writestr(f"pulumi_aws/things/{resource_file}", resource_source)
        zf.writestr("pulumi_aws/things/_inputs.py", INPUTS.format(name=args_prefix, str=str_type))
        zf.writestr(f"pulumi_aws-{version}.dist-info/METADATA", f"Metadata-Version: 2.1\nVersion: {version}\n")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("history")
    old = _wheel(tmp / "pulumi_aws-1.0.0-py3-none-any.whl", "1.0.0", "widget.py", RESOURCE_V1, "Widget", "str")
    new = _wheel(tmp / "pulumi_aws-2.0.0-py3-none-any.whl", "2.0.0", "gadget.py", RESOURCE_V2, "Gadget",
                 "_builtins.str")
    out = tmp / "history.json.xz"
    data = build({"pulumi_aws": ["1.0.0", "2.0.0"]},
                 {("pulumi_aws", "1.0.0"): old, ("pulumi_aws", "2.0.0"): new}, out)
    return data, out


def test_type_shape_reduces_annotations_to_element_and_listness():
    assert type_shape("Optional[pulumi.Input[Sequence[pulumi.Input['FooArgs']]]]") == "[FooArgs"
    assert type_shape("pulumi.Input[_builtins.str]") == "str"
    assert type_shape("Optional[pulumi.Input[Mapping[str, pulumi.Input[str]]]]") == "{"
    assert type_shape("Optional[pulumi.Input[Union[str, 'Runtime']]]") == "str"
    assert type_shape("Optional[pulumi.Input[Union[str, Sequence[str]]]]") == "Any"  # either shape accepted


def test_builder_diffs_two_majors_by_type_token(built):
    data, out = built
    with lzma.open(out, "rt") as fh:
        assert json.load(fh)["releases"] == {"pulumi_aws": ["1.0.0", "2.0.0"]}
    drift = data["drift"]["pulumi_aws@1"]
    found = {(e["kind"], e["from"], e["to"], e.get("shape")) for e in drift}
    # same token, new class name and module-level input classes renamed with it
    assert ("class", "pulumi_aws.things.Widget", "pulumi_aws.things.Gadget", None) in found
    assert ("class", "pulumi_aws.things.WidgetLifecyclePolicyArgs", "pulumi_aws.things.GadgetLifecyclePolicyArgs",
            None) in found
    # a single block became a list of the same (renamed) input type
    assert ("keyword", "lifecycle_policy", "lifecycle_policies", "wrap") in found
    # owner_id -> owner: both str, related names, one candidate each way
    assert ("keyword", "owner_id", "owner", None) in found
    assert ("output", "childrens", "children", None) in found
    snap = data["snapshots"]["pulumi_aws"]["1"]
    assert snap["packages"]["pulumi_aws"]["path"] == "<pulumi_aws>"  # no machine paths shipped
    assert snap["modules"]["pulumi_aws.things"]["resources"]["Widget"]["token"] == "demo:things/widget:Widget"
    assert snap["modules"]["pulumi_aws.things"]["resources"]["Widget"]["required"] == ["size"]


def _index(resources: dict) -> ProviderIndex:
    return ProviderIndex(packages={"pulumi_aws": {"version": "1", "major": 1, "path": "x"}},
                         modules={"pulumi_aws.m": {"names": [], "submodules": [], "functions": {}, "enums": {},
                                                   "args": {}, "argsdicts": [], "resources": resources}})


def _res(token, types):
    return {"token": token, "kwargs": list(types), "types": types, "required": [], "outputs": []}


def test_ambiguous_pairs_are_not_drift():
    old = _index({"A": _res("t:m/a:A", {"subnet": "str", "vpc": "str"})})
    new = _index({"A": _res("t:m/a:A", {"subnet_id": "str", "subnet_ids": "[str"})})
    entries = diff(old, new)
    assert not [e for e in entries if e["kind"] == "keyword" and e["from"] == "subnet"]
    assert {e["from"] for e in entries if e["kind"] == "removed"} == {"subnet", "vpc"}


def test_shipped_history_has_three_majors_and_stays_small():
    assert shipped_majors() == [5, 6, 7]
    assert api_history.DATA_FILE.stat().st_size < 5_000_000
    data = api_history.history()
    assert data["releases"]["pulumi_aws"] == ["5.43.0", "6.83.4", "7.51.1"] and data["built"]
    assert shipped_index(6).packages["pulumi_aws"]["version"] == "6.83.4"


def test_suggestions_rank_what_the_call_names_before_spelling(index):
    accepted = index.resource("pulumi_aws.ec2.FlowLog")["kwargs"]
    ranked = rank_keywords(index, "pulumi_aws.ec2.FlowLog", "resource_id", accepted, ["VPC", "ALL"])
    assert ranked[0] == "vpc_id"
    ranked = rank_keywords(index, "pulumi_aws.ec2.FlowLog", "resource_id", accepted, ["Subnet"])
    assert ranked[0] == "subnet_id"


def test_answer_only_when_the_installed_class_confirms_one(index):
    assert keyword_answer(index, "pulumi_aws.efs.FileSystem", "lifecycle_policy")["to"] == "lifecycle_policies"
    assert keyword_answer(index, "pulumi_aws.efs.FileSystem", "lifecycle_policies") is None  # valid already
    assert keyword_answer(index, "pulumi_aws.ec2.FlowLog", "resource_id") is None  # several candidates


PROGRAM = ("import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policy={'transition_to_ia': 'AFTER_7_DAYS'})\n"
           "ip = aws.ec2.Eip('ip', vpc=True)\n")


def test_provider_version_works_with_no_provider_installed(tmp_path, monkeypatch, capsys):
    from fixer import provider_index
    monkeypatch.setattr(provider_index, "locate_packages", lambda dirs: {})  # nothing importable anywhere
    (tmp_path / "main.py").write_text(PROGRAM)
    assert main(["check", "--provider-version", "7", "--format", "json", str(tmp_path / "main.py")]) == 1
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert {"provider-keyword-drift", "provider-keyword-renamed"} <= rules
    assert main(["check", "--provider-version", "6", "--format", "json", str(tmp_path / "main.py")]) == 1
    rules6 = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "provider-keyword-renamed" not in rules6  # Eip(vpc=True) is valid on 6
    assert main(["check", "--provider-version", "4", str(tmp_path / "main.py")]) == 2
    assert "no shipped API index for pulumi-aws 4" in capsys.readouterr().err


def test_upgrade_rewrites_and_summarises(tmp_path, capsys):
    program = tmp_path / "main.py"
    program.write_text(PROGRAM + "log = aws.ec2.FlowLog('f', resource_id='vpc-1', resource_type='VPC')\n")
    assert main(["upgrade", "--to", "7", str(program)]) == 1  # the FlowLog keywords need a human
    out = capsys.readouterr().out
    text = program.read_text()
    assert "lifecycle_policies=[{'transition_to_ia': 'AFTER_7_DAYS'}]" in text and 'domain="vpc"' in text
    assert "upgrade to pulumi-aws 7.51.1: 2 change(s)" in out
    assert "needs a human: 2" in out and "nearest: vpc_id" in out
    assert main(["upgrade", "--to", "7", str(program)]) == 1
    assert program.read_text() == text


def test_upgrade_from_selects_that_majors_history(tmp_path, capsys):
    from fixer.api_history import consult_majors, keyword_answer as answer
    from fixer.provider_index import load_index
    index = load_index()
    try:
        # 5.x called it launch_template_config; the 6.x history has no such entry for ec2.Fleet
        consult_majors([5])
        assert answer(index, "pulumi_aws.ec2.Fleet", "launch_template_config")["to"] == "launch_template_configs"
        consult_majors([6])
        entries = api_history.candidates("keyword", "pulumi_aws.ec2.Fleet", "launch_template_config")
        assert entries == []
    finally:
        consult_majors(None)
    program = tmp_path / "main.py"
    program.write_text("import pulumi_aws as aws\n")
    assert main(["upgrade", "--from", "4", str(program)]) == 2
    assert "the shipped history covers pulumi-aws 5, 6" in capsys.readouterr().err
    assert main(["upgrade", "--from", "6", str(program)]) == 0
    assert main(["check", str(program)]) == 0  # a later run without --from consults every major again
    assert api_history._FROM_MAJORS is None
