"""Property-based: over generated programs mixing clean code and every kind of defect, ``fixer apply
--unsafe`` never produces unparseable code, a second run changes nothing, ``check`` never changes anything,
and a program without findings stays byte-identical."""
import ast
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixer.rules import all_rules
from fixer.rule import ProjectRule
from fixer.runner import Options, process_source

HEADER = "import json\nimport pulumi\nimport pulumi_aws as aws\nimport pulumi_random as random\n"
CLEAN = [
    "bucket{n} = aws.s3.Bucket('bucket-{n}', tags={{'Name': 'b{n}'}})\n",
    "vpc{n} = aws.ec2.Vpc('vpc-{n}', cidr_block='10.{n}.0.0/16')  # network\n",
    "role{n} = aws.iam.Role('role-{n}', assume_role_policy=json.dumps({{'Version': '2012-10-17'}}))\n",
    "pulumi.export('name{n}', 'value-{n}')\n",
]
DEFECTS = [
    "rg{n} = aws.elasticache.ReplicationGroup(\n    'rg-{n}',\n    replication_group_description='d',  # keep\n"
    "    number_cache_clusters=2,\n    auth_token_enabled=False,\n)\n",
    "pw{n} = random.RandomPassword('pw-{n}', length=24)\nsecret{n} = pw{n}.random_password\n",
    "eip{n} = aws.ec2.Eip('eip-{n}', vpc=True, protect=True)\n",
    "log{n} = aws.logs.LogGroup('log-{n}', retention_in_days=7)\n",
    "fn{n} = aws.lambda_.Function('fn-{n}', runtime=aws.lambda_.Runtime.PYTHON3_11, role='r')\n",
    "key{n} = aws.kms.Key('key-{n}')\naws.iam.RolePolicy('rp-{n}', role='r', policy=json.dumps({{'Resource': key{n}.arn}}))\n",
    "k{n} = aws.kms.Key('k-{n}')\ndoc{n} = json.dumps({{'Resource': k{n}.arn}})  # reported: not an argument\n",
    "topic{n} = aws.sns.Topic('t-{n}')\naws.ssm.Parameter('p-{n}', type='String', value=f'{{topic{n}.arn}}/x', "
    "description='a' + topic{n}.arn)\n",
    "api{n} = aws.apigateway.RestApi('api-{n}')\ndep{n} = aws.apigateway.Deployment('dep-{n}', rest_api=api{n}.id, "
    "stage_name='prod')\n",
    "sub{n} = aws.ec2.Subnet('s-{n}', vpc_id='v', cidr_block='10.0.{n}.0/24', availability_zone='us-west-2a')\n",
    "db{n} = aws.rds.Cluster('db-{n}', engine='aurora-postgresql', engine_mode='serverless', master_username='admin',\n"
    "    serverlessv2_scaling_configuration={{'min_capacity': 0.5, 'max_capacity': 2}})\n",
    "aws.ecs.Cluster('c-{n}', service_connect_defaults={{'namespace': 'app{n}.local'}})\n",
    "aws.lb.Listener('l-{n}', load_balancer_arn='x', port=443, protocol='HTTPS', "
    "certificate_arn='arn:aws:acm:us-east-1:123456789012:certificate/placeholder')\n",
    "x{n} = 1  # fixer: ignore[provider-keyword-renamed]\n",
]
RULES = tuple(r.NAME for r in all_rules() if not issubclass(r, ProjectRule))


@st.composite
def programs(draw):
    pieces = draw(st.lists(st.tuples(st.sampled_from(CLEAN + DEFECTS), st.booleans(), st.sampled_from(["", "\n"])),
                           min_size=1, max_size=6))
    out = [HEADER]
    for n, (snippet, in_function, gap) in enumerate(pieces):
        code = snippet.format(n=n)
        if in_function:  # the same code as a ComponentResource-style method body
            code = f"def build_{n}():\n" + textwrap.indent(code, "    ") + "    return None\n"
        out.append(gap + code)
    return "".join(out)


def _apply(source, index):
    return process_source("prog.py", source, Options(RULES, apply=True, unsafe=True, region="ap-southeast-1"), index)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=programs())
def test_apply_parses_and_is_idempotent(source, index):
    result, fixed = _apply(source, index)
    assert result.error is None
    ast.parse(fixed)
    again, fixed_twice = _apply(fixed, index)
    assert fixed_twice == fixed
    assert not any(f.fix in ("safe", "unsafe") for f in again.findings)  # nothing fixable is left
    checked, unchanged = process_source("prog.py", source, Options(RULES, region="ap-southeast-1"), index)
    assert unchanged == source
    if not checked.findings:
        assert fixed == source


@settings(max_examples=15, deadline=None)
@given(source=st.lists(st.sampled_from(CLEAN), min_size=1, max_size=5).map(lambda s: HEADER + "".join(
    t.format(n=i) for i, t in enumerate(s))))
def test_clean_programs_stay_byte_identical(source, index):
    result, fixed = _apply(source, index)
    assert result.findings == [] and fixed == source
