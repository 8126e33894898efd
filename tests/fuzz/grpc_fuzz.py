"""Fuzz the pack over gRPC with resources generated from the real pulumi-aws input schemas.

The schemas are read from the installed pulumi_aws source without importing it: each resource's `*Args`
class (and the nested `*Args` classes of its module's `_inputs.py`) gives every input with its wire name (the
`@pulumi.getter(name=...)` of its property) and its type. Values are drawn from a seeded random generator:
well-typed values steered towards what policies look at (CIDRs, engines, ARNs, protocols, tags), unknown
sentinels anywhere, secrets anywhere (strings that carry a marker and distinctive numbers, so a leak is
unambiguous), wrong types and nulls.

    .venv/bin/python tests/fuzz/grpc_fuzz.py --requests 100000 --seed 7     # a long run, prints figures

The test (`test_grpc_fuzz.py`) runs a bounded, seeded slice of the same in CI.
"""
from __future__ import annotations

import argparse
import ast
import random
import re
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from policypack import resource_types as T  # noqa: E402
from policypack.engine import AnalysisSession, ResourceIndex, wire  # noqa: E402
from policypack.engine.run import analyzer_resource  # noqa: E402

SECRET_MARK = "zq7SECRET"
SECRET_NUMBER_BASE = 7_650_000  # secret numbers are 7650000 + n: no policy message prints such a number
PROJECT, STACK = "fuzz", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::default_7_51_1"
STEERING = ["0.0.0.0/0", "::/0", "10.0.1.0/24", "10.0.0.0/16", "tcp", "-1", "udp", "postgres", "aurora-postgresql",
            "mysql", "redis", "15.4", "16.4", "8.0.35", "HTTPS", "HTTP", "TLS", "aws:kms", "AES256", "KMS", "NONE",
            "admin", "root", "postgres", "application", "network", "forward", "redirect", "ingress", "egress",
            "us-east-1a", "ap-southeast-1a", "python3.8", "nodejs20.x", "awsvpc", "host", "required", "optional",
            "arn:aws:acm:us-east-1:123456789012:certificate/placeholder",
            "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d",
            '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}',
            '[{"name": "app", "image": "nginx", "environment": [{"name": "DB_PASSWORD", "value": "x"}]}]',
            "", "garbage", "*"]


# -- schemas ------------------------------------------------------------------------------------------------

@dataclass
class Field:
    wire: str
    kind: str                      # str, int, float, bool, list, map, object, any
    item: Optional["Field"] = None  # list/map element
    fields: list["Field"] = field(default_factory=list)  # object


def _provider_root() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("pulumi_aws")
    return Path(spec.origin).parent


class _LazyClasses(dict):
    """Top-level classes of a generated module, each parsed with `ast` only when asked for (the provider's
    `_inputs.py` files run to megabytes; a fuzz run needs a few dozen of their classes)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._sources = {m.group(1): m.start() for m in re.finditer(r"^class (\w+)\b", text, re.M)}
        self._text = text

    def __contains__(self, name: object) -> bool:
        return name in self._sources

    def get(self, name, default=None):
        return self[name] if name in self._sources else default

    def __missing__(self, name: str) -> ast.ClassDef:
        start = self._sources[name]
        end = re.compile(r"\n(?=[^\s#])").search(self._text, start + 1)  # the first unindented line
        node = ast.parse(self._text[start:end.start() if end else None]).body[0]
        self[name] = node
        return node


@lru_cache(maxsize=None)
def _classes(path: Path) -> _LazyClasses:
    return _LazyClasses(path.read_text(encoding="utf-8"))


def _wire_names(cls: ast.ClassDef) -> dict[str, str]:
    names = {}
    for node in cls.body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                if isinstance(dec, ast.Call) and getattr(dec.func, "attr", "") == "getter":
                    wire_name = next((k.value.value for k in dec.keywords if k.arg == "name"), None)
                    names[node.name] = wire_name or node.name
    return names


def _type(annotation: ast.AST, inputs: dict[str, ast.ClassDef], depth: int) -> tuple[str, Any]:
    """(kind, detail) of an annotation: detail is the element type or the nested class's fields."""
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        name = annotation.value
        if name in inputs and depth < 3:
            return "object", _fields(inputs[name], inputs, depth + 1)
        return "str", None  # an enum given by name
    if isinstance(annotation, ast.Attribute):
        return {"str": "str", "int": "int", "float": "float", "bool": "bool"}.get(annotation.attr, "any"), None
    if isinstance(annotation, ast.Subscript):
        head = annotation.value
        head_name = head.attr if isinstance(head, ast.Attribute) else getattr(head, "id", "")
        inner = annotation.slice
        if head_name in ("Input", "Optional"):
            return _type(inner, inputs, depth)
        if head_name == "Sequence":
            return "list", _type(inner, inputs, depth)
        if head_name == "Mapping":
            return "map", _type(inner.elts[1] if isinstance(inner, ast.Tuple) else inner, inputs, depth)
        if head_name == "Union" and isinstance(inner, ast.Tuple):
            return _type(inner.elts[0], inputs, depth)
    return "any", None


def _field(wire_name: str, kind_detail: tuple[str, Any]) -> Field:
    kind, detail = kind_detail
    if kind in ("list", "map"):
        return Field(wire_name, kind, item=_field("", detail))
    if kind == "object":
        return Field(wire_name, kind, fields=detail)
    return Field(wire_name, kind)


def _fields(cls: ast.ClassDef, inputs: dict[str, ast.ClassDef], depth: int) -> list[Field]:
    init = next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
    if init is None:
        return []
    names = _wire_names(cls)
    found = []
    for arg in init.args.kwonlyargs:
        if arg.annotation is None:
            continue
        found.append(_field(names.get(arg.arg, arg.arg), _type(arg.annotation, inputs, depth)))
    return found


@lru_cache(maxsize=None)
def schema(type_token: str) -> Optional[list[Field]]:
    """The input fields of a resource type, from its `*Args` class; None when not found."""
    parts = type_token.split(":")
    if len(parts) != 3 or "/" not in parts[1]:
        return None
    module = parts[1].split("/")[0]
    class_name = type_token.rsplit(":", 1)[-1]
    package = _provider_root() / module
    if not package.is_dir():
        return None
    marker = f'@pulumi.type_token("{type_token}")'
    guess = package / (re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower() + ".py")
    candidates = ([guess] if guess.exists() else []) + sorted(package.glob("*.py"))
    for path in candidates:
        if path.name.startswith("_"):
            continue
        text = path.read_text(encoding="utf-8")
        if marker not in text:
            continue
        classes = _classes(path)
        args = classes.get(f"{class_name}Args")
        if args is None:
            return None
        inputs_path = package / "_inputs.py"
        inputs = _classes(inputs_path) if inputs_path.exists() else {}
        return _fields(args, inputs, 0)
    return None


NEIGHBOURS = (
    "aws:ec2/routeTable:RouteTable", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/route:Route",
    "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ebs/volume:Volume",
    "aws:ec2/flowLog:FlowLog", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aws:iam/role:Role",
    "aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/user:User", "aws:lambda/function:Function",
    "aws:lambda/permission:Permission", "aws:dynamodb/table:Table", "aws:sns/topic:Topic", "aws:sqs/queue:Queue",
    "aws:efs/fileSystem:FileSystem", "aws:opensearch/domain:Domain", "aws:redshift/cluster:Cluster",
    "aws:sagemaker/notebookInstance:NotebookInstance", "aws:cloudtrail/trail:Trail", "aws:backup/plan:Plan",
    "aws:backup/selection:Selection", "aws:apigateway/stage:Stage", "aws:wafv2/webAcl:WebAcl",
    "aws:dms/replicationInstance:ReplicationInstance", "aws:codebuild/project:Project", "aws:emr/cluster:Cluster",
    "aws:secretsmanager/secret:Secret", "aws:ssm/document:Document", "aws:autoscaling/group:Group",
    "aws:elasticbeanstalk/environment:Environment", "aws:ec2/launchConfiguration:LaunchConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketPolicy:BucketPolicy", "aws:elb/loadBalancer:LoadBalancer", "aws:acm/certificate:Certificate",
    "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:ecs/cluster:Cluster",
)


def fuzz_types() -> list[str]:
    """Every type a policy names, plus the neighbours a real HIPAA stack holds."""
    types = set(NEIGHBOURS)
    for name in dir(T):
        value = getattr(T, name)
        if isinstance(value, tuple) and all(isinstance(t, str) and t.startswith("aws:") for t in value):
            types.update(value)
    return sorted(t for t in types if schema(t))


# -- values -------------------------------------------------------------------------------------------------

class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.secret_strings: set[str] = set()
        self.secret_numbers: set[str] = set()

    def secret(self, value: Any) -> dict:
        return wire.secret(value)

    def scalar(self, kind: str) -> Any:
        rng = self.rng
        if kind == "bool":
            return rng.random() < 0.5
        if kind in ("int", "float"):
            return float(rng.choice([0, 1, 7, 30, 35, 40, 80, 443, 5432, 6379, 65535, -1, rng.randint(-5, 100000)]))
        return rng.choice(STEERING) if rng.random() < 0.7 else f"v{rng.randint(0, 10 ** 6)}"

    def secret_scalar(self, kind: str) -> Any:
        n = len(self.secret_strings) + len(self.secret_numbers)
        if kind in ("int", "float"):
            value = SECRET_NUMBER_BASE + n
            self.secret_numbers.add(str(value))
            return float(value)
        if kind == "bool":
            return self.rng.random() < 0.5
        text = f"{SECRET_MARK}{n}"
        self.secret_strings.add(text)
        return text

    def value(self, f: Field, depth: int = 0) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.08:
            return wire.UNKNOWN
        if roll < 0.12:
            return rng.choice([None, "", 0.0, True, [], {}, "garbage", [None], {"x": 1.0}])
        if roll < 0.22:
            return self.secret(self.secret_tree(f, depth))
        return self.plain(f, depth)

    def plain(self, f: Field, depth: int) -> Any:
        if f.kind == "list":
            return [self.value(f.item, depth + 1) for _ in range(self.rng.randint(0, 3))] if f.item else []
        if f.kind == "map":
            tags = {f"k{i}": self.scalar("str") for i in range(self.rng.randint(0, 3))}
            if self.rng.random() < 0.1:
                tags["hipaa-guard:exempt"] = f"*: {SECRET_MARK}tag until 2099-01-01" if self.rng.random() < 0.5 \
                    else "*: fuzz exemption until 2000-01-01"
            return tags
        if f.kind == "object":
            return self.object(f.fields, depth + 1)
        return self.scalar(f.kind if f.kind != "any" else "str")

    def secret_tree(self, f: Field, depth: int) -> Any:
        """A value of the field's shape whose every leaf is a secret plaintext (strings, numbers)."""
        if f.kind == "list" and f.item:
            return [self.secret_tree(f.item, depth + 1) for _ in range(self.rng.randint(1, 2))]
        if f.kind == "object" and depth < 3:
            chosen = self.rng.sample(f.fields, min(len(f.fields), 3)) if f.fields else []
            return {c.wire: self.secret_tree(c, depth + 1) for c in chosen}
        if f.kind == "map":
            return {"k": self.secret_scalar("str")}
        return self.secret_scalar(f.kind if f.kind != "any" else "str")

    def object(self, fields: list[Field], depth: int) -> dict:
        if not fields or depth > 3:
            return {}
        chosen = self.rng.sample(fields, min(len(fields), self.rng.randint(1, 8)))
        return {c.wire: self.value(c, depth) for c in chosen}

    def resource(self, rtype: str, n: int) -> dict:
        props = self.object(schema(rtype), 0)
        props = {**props, **{c.wire: self.value(c) for c in self.rng.sample(schema(rtype), min(3, len(schema(rtype))))}}
        name = f"r{n}"
        return {"type": rtype, "name": name, "urn": f"urn:pulumi:{STACK}::{PROJECT}::{rtype}::{name}", "custom": True,
                "id": f"{name}-id", "inputs": props, "outputs": None, "parent": STACK_URN,
                "provider": f"{PROVIDER_URN}::p", "dependencies": [], "property_dependencies": {}, "options": {}}

    def wire_stack(self, resources: list[dict]) -> None:
        """Random property dependencies between the resources, as a program's references would make."""
        for r in resources:
            for key in list(r["inputs"])[:2]:
                if self.rng.random() < 0.3:
                    other = self.rng.choice(resources)
                    if other is not r:
                        r["property_dependencies"][key] = [other["urn"]]
                        r["dependencies"] = sorted({*r["dependencies"], other["urn"]})


def base(region_secret: bool) -> list[dict]:
    region = wire.secret("eu-west-3") if region_secret else "us-east-1"
    return [{"type": "pulumi:pulumi:Stack", "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "custom": False,
             "inputs": {}, "outputs": {}, "parent": None, "provider": None, "dependencies": [],
             "property_dependencies": {}, "options": {}},
            {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN, "custom": True,
             "id": "p", "inputs": {"region": region}, "parent": STACK_URN, "provider": None, "dependencies": [],
             "property_dependencies": {}, "options": {}}]


# -- the run ------------------------------------------------------------------------------------------------

@dataclass
class Figures:
    requests: int = 0
    stack_requests: int = 0
    types: int = 0
    rpc_errors: list = field(default_factory=list)
    sdk_noise: int = 0
    crashes: list = field(default_factory=list)
    leaks: list = field(default_factory=list)
    findings: int = 0


def _leaks(text: str, gen: Generator) -> list[str]:
    found = [s for s in gen.secret_strings if s in text] if SECRET_MARK in text else []
    found += [n for n in gen.secret_numbers if n in text]
    return found + (["eu-west-3"] if "eu-west-3" in text else [])


def run(requests: int, seed: int, stack_size: int = 400) -> Figures:
    gen = Generator(seed)
    types = fuzz_types()
    figures = Figures(types=len(types))
    with AnalysisSession(ROOT, project=PROJECT, stack=STACK) as session:
        done = 0
        while done < requests:
            batch = [gen.resource(gen.rng.choice(types), done + i) for i in range(min(stack_size, requests - done))]
            gen.wire_stack(batch)
            resources = [*base(region_secret=gen.rng.random() < 0.5), *batch]
            index = ResourceIndex(resources)
            for r in batch:
                try:
                    response = session.client.analyze(analyzer_resource(r, index))
                except Exception as exc:  # noqa: BLE001 - every failure is a figure
                    figures.rpc_errors.append(f"{r['type']}: {exc}")
                    continue
                figures.requests += 1
                for d in response.diagnostics:
                    figures.findings += 1
                    figures.sdk_noise += "during preview" in d.message
                    figures.leaks += [(d.policy_name, s) for s in _leaks(d.message, gen)]
                for n in response.not_applicable:
                    figures.leaks += [(n.policy_name, s) for s in _leaks(n.reason, gen)]
            try:
                result = session.analyze_stack(resources, index)
                figures.stack_requests += 1
                for d in result.diagnostics:
                    figures.findings += 1
                    figures.sdk_noise += "during preview" in d.message
                    figures.leaks += [(d.policy_name, s) for s in _leaks(d.message, gen)]
                for n in result.not_applicable:
                    figures.leaks += [(n.policy_name, s) for s in _leaks(n.reason, gen)]
            except Exception as exc:  # noqa: BLE001
                figures.rpc_errors.append(f"AnalyzeStack: {exc}")
            done += len(batch)
        stderr = session.pack.stderr_text()
    figures.crashes = [line for line in stderr.splitlines() if line.startswith("hipaa-guard: policy ")]
    figures.leaks += [("stderr", s) for s in _leaks(stderr, gen)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    t0 = time.perf_counter()
    f = run(args.requests, args.seed)
    print(f"{f.requests} Analyze + {f.stack_requests} AnalyzeStack requests over {f.types} types "
          f"(seed {args.seed}) in {time.perf_counter() - t0:.0f} s: {f.findings} findings, "
          f"{len(f.rpc_errors)} RPC errors, {len(f.crashes)} policy crashes, {f.sdk_noise} SDK advisories, "
          f"{len(f.leaks)} leaks")
    for line in (f.rpc_errors + f.crashes + [str(x) for x in f.leaks])[:20]:
        print("  ", line)
    sys.exit(1 if f.rpc_errors or f.crashes or f.leaks or f.sdk_noise else 0)


if __name__ == "__main__":
    main()
