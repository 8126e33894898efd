"""Fixes that compose and never write what does not compile.

For every safe rule, a program where what the fix would write is already there (the keyword it renames to,
the option already in ``opts``, the import already at the top, the requirement already declared): the fix
merges (drops what repeats the same value) or reports, never duplicates; every file written compiles; a
second ``fixer apply`` changes nothing."""
import json

import pytest

from fixer.cli import main

HEAD = "import pulumi\nimport pulumi_aws as aws\n"

# (case id, program, text that must be in the result, text that must not, the rule left reported or None)
CASES = [
    ("renamed-target-other-value", HEAD + "db = aws.rds.Instance('db', name='x', db_name='y', engine='postgres')\n",
     "name='x', db_name='y'", None, "provider-keyword-renamed"),
    ("renamed-target-same-value", HEAD + "db = aws.rds.Instance('db', name='app', db_name=\"app\")\n",
     "aws.rds.Instance('db', db_name=\"app\")", "name='app'", None),
    ("renamed-mapped-value-same", HEAD + "eip = aws.ec2.Eip('e', vpc=True, domain='vpc')\n",
     "aws.ec2.Eip('e', domain='vpc')", "vpc=True", None),
    ("option-in-opts-other-value",
     HEAD + "b = aws.s3.Bucket('b', depends_on=[a], opts=pulumi.ResourceOptions(depends_on=[c]))\n",
     "depends_on=[a], opts=pulumi.ResourceOptions(depends_on=[c])", None, "resource-option-keyword"),
    ("option-in-opts-same-value",
     HEAD + "class C(pulumi.ComponentResource):\n    def __init__(self):\n"
            "        aws.s3.Bucket('b', parent=self, opts=pulumi.ResourceOptions(parent=self, protect=True))\n",
     "aws.s3.Bucket('b', opts=pulumi.ResourceOptions(parent=self, protect=True))", "'b', parent=self", None),
    ("option-beside-opts-variable", HEAD + "o = pulumi.ResourceOptions(parent=p)\nb = aws.s3.Bucket('b', parent=q, opts=o)\n",
     "opts=pulumi.ResourceOptions.merge(o, pulumi.ResourceOptions(parent=q))", None, None),
    ("random-password-special-twice",
     HEAD + "pw = aws.secretsmanager.RandomPassword('pw', length=16, exclude_characters='/@', exclude_punctuation=True)\n",
     "aws.secretsmanager.RandomPassword('pw', length=16, exclude_characters='/@', exclude_punctuation=True)", None,
     "random-password-module"),
    ("random-password-length-twice",
     HEAD + "pw = aws.secretsmanager.RandomPassword('pw', length=16, password_length=20)\n",
     "length=16, password_length=20", None, "random-password-module"),
    ("auth-token-special-present",
     HEAD + "import pulumi_random as random\ntok = random.RandomPassword('t', length=32, special=True, "
            "override_special='@%')\naws.elasticache.ReplicationGroup('r', description='d', auth_token=tok.result)\n",
     "length=32, special=True, override_special=\"!&#$^<>-\")", "'@%'", None),
    ("output-format-pulumi-imported-as-alias",
     "import pulumi as p\nimport pulumi_aws as aws\nb = aws.s3.Bucket('b')\np.export('arn', f'{b.arn}/x')\n",
     "import pulumi as p\nimport pulumi_aws as aws\nb", "import pulumi\n", None),
    ("module-rename-target-imported", "from pulumi_aws import logs, cloudwatch\ng = logs.LogGroup('g')\n",
     "from pulumi_aws import cloudwatch as logs, cloudwatch\n", None, None),
    ("aurora-instance-class-already-serverless",
     HEAD + "c = aws.rds.Cluster('c', engine='aurora-postgresql', engine_mode='serverless', "
            "serverlessv2_scaling_configuration={'min_capacity': 0.5, 'max_capacity': 2})\n"
            "n = aws.rds.ClusterInstance('n', cluster_identifier=c.id, instance_class='db.serverless', "
            "engine='aurora-postgresql')\n",
     "engine_mode='provisioned'", None, None),
    ("inline-import-already-at-top", "import json\n\ndef f():\n    import json\n    return json.dumps({})\n",
     "import json\n\ndef f():\n    return json.dumps({})\n", None, None),
]


def _apply(path, *extra):
    return main(["apply", "--unsafe", "--format", "json", *extra, str(path)])


@pytest.mark.parametrize("program,present,absent,left", [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_target_already_present_merges_or_reports(tmp_path, capsys, program, present, absent, left):
    path = tmp_path / "__main__.py"
    path.write_text(program)
    code = _apply(path)
    doc = json.loads(capsys.readouterr().out)
    text = path.read_text()
    compile(text, str(path), "exec", dont_inherit=True)  # every written file compiles
    assert present in text
    assert absent is None or absent not in text
    remaining = [f for f in doc["findings"] if f["rule"] == left]
    assert bool(remaining) == (left is not None) and code == (1 if doc["findings"] else 0)
    for finding in remaining:
        assert finding["fix"] == "none"  # reported, not left as a fix that would break the file
    assert doc["errors"] == []
    _apply(path)
    capsys.readouterr()
    assert path.read_text() == text  # a second run changes nothing


def test_refused_fix_says_why_and_the_others_are_applied(tmp_path, capsys):
    path = tmp_path / "m.py"
    path.write_text(HEAD + "pw = aws.secretsmanager.RandomPassword('pw', length=16, exclude_characters='/@', "
                           "exclude_punctuation=True)\n"
                           "rg = aws.elasticache.ReplicationGroup('r', replication_group_description='d')\n")
    assert _apply(path) == 1
    doc = json.loads(capsys.readouterr().out)
    [left] = doc["findings"]
    assert left["rule"] == "random-password-module" and left["line"] == 3
    assert left["message"].endswith("(not fixed: the result would not compile: keyword argument repeated: special)")
    assert [f["rule"] for f in doc["fixed"]] == ["provider-keyword-renamed"]
    assert "ReplicationGroup('r', description='d')" in path.read_text()


def test_several_mistakes_in_a_row_come_out_whole(tmp_path, capsys):
    """Each fix exposes or shapes the next: the module fix makes the call a pulumi_random RandomPassword, which
    the auth-token rule then restricts; renames, option moves and default removals land in the same call."""
    path = tmp_path / "__main__.py"
    path.write_text(
        "import pulumi\nimport pulumi_aws as aws\n\n\nclass Cache(pulumi.ComponentResource):\n"
        "    def __init__(self, name, vpc):\n        super().__init__('acme:Cache', name)\n"
        "        token = aws.secretsmanager.RandomPassword(f'{name}-t', password_length=32, exclude_characters='/@')\n"
        "        self.group = aws.elasticache.ReplicationGroup(\n            f'{name}-rg',\n"
        "            replication_group_description='sessions',\n            number_cache_clusters=2,\n"
        "            auth_token=token.result,\n            auth_token_enabled=True,\n            parent=self,\n"
        "            depends_on=[vpc],\n        )\n")
    assert _apply(path) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["findings"] == [] and len(doc["fixed"]) >= 6
    text = path.read_text()
    compile(text, str(path), "exec", dont_inherit=True)
    assert "pulumi_random.RandomPassword(f'{name}-t', length=32, special=True, override_special=\"!&#$^<>-\")" in text
    assert "opts=pulumi.ResourceOptions(parent=self, depends_on=[vpc])" in text
    assert "auth_token_enabled" not in text and "number_cache" not in text
    assert main(["check", str(path)]) == 0


def test_requirement_already_declared_in_another_spelling(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "requirements.txt").write_bytes(b"Pulumi>=3.0\r\npulumi_aws>=7,<8\r\n")
    (tmp_path / "__main__.py").write_text("import pulumi\nimport pulumi_aws as aws\nimport pulumi_random\n")
    main(["apply", str(tmp_path)])
    capsys.readouterr()
    assert (tmp_path / "requirements.txt").read_bytes() == b"Pulumi>=3.0\r\npulumi_aws>=7,<8\r\npulumi-random\r\n"
