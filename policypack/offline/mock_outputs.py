"""What the providers would compute for a new resource, so policies see plausible outputs offline.

The Pulumi mock monitor only echoes inputs. A real provider also fills in what the program left out:
auto-names (done at Check time, so the engine's analyzer sees them among the *inputs*), ids, ARNs in the
resource's region, endpoints, and for ``random`` the generated values. Everything here is deterministic,
seeded by the resource's URN, so two captures of one program are identical.

Values stay in wire form (``wire.py``); this module is stdlib only because the runner imports it in the
program's own interpreter.
"""

from __future__ import annotations

import base64
import hashlib
import random as _random
import string
from dataclasses import dataclass, field

try:  # imported as policypack.offline.mock_outputs or by the runner as a sibling module
    from . import output_shapes, wire
except ImportError:  # pragma: no cover - the runner sets up the package; this is a safety net
    import output_shapes, wire  # type: ignore[no-redef]  # noqa: E401

FAKE_ACCOUNT_ID = "210987654321"
"""Deliberately not a placeholder account a policy flags (123456789012, 000000000000)."""

DEFAULT_REGION = "us-east-1"


@dataclass
class MockContext:
    account_id: str = FAKE_ACCOUNT_ID
    zones: dict[str, list[str]] = field(default_factory=dict)  # region -> zone names


def digest(seed: str, n: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


# --- auto-naming: property the provider fills in, and its rules --------------------------------------
# (property, lowercase, max length). Only types whose provider auto-names; the rest are left alone.
AUTONAME: dict[str, tuple[str, bool, int]] = {
    "aws:s3/bucket:Bucket": ("bucket", True, 63),
    "aws:s3/bucketV2:BucketV2": ("bucket", True, 63),
    "aws:rds/instance:Instance": ("identifier", True, 63),
    "aws:rds/cluster:Cluster": ("clusterIdentifier", True, 63),
    "aws:rds/clusterInstance:ClusterInstance": ("identifier", True, 63),
    "aws:rds/subnetGroup:SubnetGroup": ("name", True, 255),
    "aws:rds/parameterGroup:ParameterGroup": ("name", True, 255),
    "aws:rds/clusterParameterGroup:ClusterParameterGroup": ("name", True, 255),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("replicationGroupId", True, 40),
    "aws:elasticache/cluster:Cluster": ("clusterId", True, 50),
    "aws:elasticache/subnetGroup:SubnetGroup": ("name", True, 255),
    "aws:elasticache/parameterGroup:ParameterGroup": ("name", True, 255),
    "aws:lb/loadBalancer:LoadBalancer": ("name", False, 32),
    "aws:alb/loadBalancer:LoadBalancer": ("name", False, 32),
    "aws:lb/targetGroup:TargetGroup": ("name", False, 32),
    "aws:alb/targetGroup:TargetGroup": ("name", False, 32),
    "aws:iam/role:Role": ("name", False, 64),
    "aws:iam/policy:Policy": ("name", False, 128),
    "aws:iam/user:User": ("name", False, 64),
    "aws:iam/instanceProfile:InstanceProfile": ("name", False, 128),
    "aws:iam/rolePolicy:RolePolicy": ("name", False, 128),
    "aws:cloudwatch/logGroup:LogGroup": ("name", False, 512),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", False, 255),
    "aws:ec2/securityGroup:SecurityGroup": ("name", False, 255),
    "aws:ec2/launchTemplate:LaunchTemplate": ("name", False, 128),
    "aws:secretsmanager/secret:Secret": ("name", False, 512),
    "aws:sns/topic:Topic": ("name", False, 256),
    "aws:sqs/queue:Queue": ("name", False, 80),
    "aws:lambda/function:Function": ("name", False, 64),
    "aws:ecs/cluster:Cluster": ("name", False, 255),
    "aws:ecs/service:Service": ("name", False, 255),
    "aws:kinesis/stream:Stream": ("name", False, 128),
    "aws:ecr/repository:Repository": ("name", True, 256),
    "aws:dynamodb/table:Table": ("name", False, 255),
    "aws:autoscaling/group:Group": ("name", False, 255),
}


PREFIXED_SUFFIX_LENGTH = 26
"""The provider names `<prop>_prefix` resources `<prefix><26 characters>` (terraform-plugin-sdk PrefixedUniqueId:
a timestamp and a counter)."""


def autoname(type_: str, name: str, urn: str, inputs: dict | None = None) -> tuple[str, str] | None:
    """(property, value) the provider would auto-name, as `<name>-<7 hex>` within the type's limit, or, when the
    program gave a `<prop>Prefix` (name_prefix, bucket_prefix, identifier_prefix, ...), as the prefix followed by
    26 generated characters (cut to the limit: an over-long prefix is reported once, by the prefix's own rule)."""
    rule = AUTONAME.get(type_)
    if rule is None:
        return None
    prop, lower, limit = rule
    given = (inputs or {}).get(f"{prop}Prefix")
    if given is not None and wire.known(given) is None:
        return prop, wire.UNKNOWN  # a prefix not known yet: so is the name
    prefix = wire.known(given)
    if isinstance(prefix, str) and prefix:
        digits = str(int(digest(urn, 24), 16)).rjust(PREFIXED_SUFFIX_LENGTH, "0")[-PREFIXED_SUFFIX_LENGTH:]
        return prop, ((prefix.lower() if lower else prefix) + digits)[:limit]
    suffix = "-" + digest(urn, 7)
    base = name.lower() if lower else name
    return prop, base[: max(1, limit - len(suffix))] + suffix


# --- ids --------------------------------------------------------------------------------------------
EC2_IDS: dict[str, tuple[str, str]] = {  # resource -> (id prefix, ARN resource kind)
    "vpc": ("vpc-", "vpc"),
    "subnet": ("subnet-", "subnet"),
    "securityGroup": ("sg-", "security-group"),
    "internetGateway": ("igw-", "internet-gateway"),
    "natGateway": ("nat-", "natgateway"),
    "routeTable": ("rtb-", "route-table"),
    "eip": ("eipalloc-", "elastic-ip"),
    "instance": ("i-", "instance"),
    "networkAcl": ("acl-", "network-acl"),
    "vpcEndpoint": ("vpce-", "vpc-endpoint"),
    "launchTemplate": ("lt-", "launch-template"),
    "egressOnlyInternetGateway": ("eigw-", "egress-only-internet-gateway"),
    "flowLog": ("fl-", "vpc-flow-log"),
    "keyPair": ("key-", "key-pair"),
    "securityGroupRule": ("sgrule-", "security-group-rule"),
    "networkInterface": ("eni-", "network-interface"),
    "volume": ("vol-", "volume"),
}


GLOBAL_SERVICES = frozenset({"iam", "route53", "cloudfront", "organizations", "waf", "shield"})


def _type_parts(type_: str) -> tuple[str, str, str]:
    """`aws:rds/instance:Instance` -> ("aws", "rds", "instance")."""
    pkg, module, _ = (type_.split(":") + ["", ""])[:3]
    mod, _, res = module.partition("/")
    return pkg, mod, res


def _kebab(text: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in text).lstrip("-")


def _uuid(seed: str) -> str:
    h = digest(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# --- aws --------------------------------------------------------------------------------------------
def _aws(type_: str, name: str, urn: str, props: dict, region: str, acct: str) -> tuple[str, dict]:
    """(id, extra outputs) for an aws resource. `props` are the checked inputs (wire form)."""
    _, mod, res = _type_parts(type_)
    k = lambda prop: wire.known(props.get(prop))  # noqa: E731 - a one-line reader
    out: dict = {}
    arn_prefix = f"arn:aws:{mod}:{'' if mod in GLOBAL_SERVICES else region}:{acct}"
    rid = f"{name}-{digest(urn, 8)}"

    if mod == "ec2" and res in EC2_IDS:
        prefix, kind = EC2_IDS[res]
        rid = prefix + digest(urn, 17)
        arn = f"arn:aws:ec2:{region}:{acct}:{kind}/{rid}"
    elif mod == "s3" and res in ("bucket", "bucketV2"):
        rid = k("bucket") or rid
        arn = f"arn:aws:s3:::{rid}"
        out.update(bucketDomainName=f"{rid}.s3.amazonaws.com",
                   bucketRegionalDomainName=f"{rid}.s3.{region}.amazonaws.com", region=region)
    elif mod == "iam" and res in ("role", "policy", "user", "instanceProfile"):
        rid = k("name") or rid
        path = k("path") or "/"
        arn = f"arn:aws:iam::{acct}:{_kebab(res)}{path}{rid}"
        out["uniqueId"] = {"role": "AROA", "user": "AIDA", "policy": "ANPA"}.get(res, "AIPA") + digest(urn, 17).upper()
    elif mod == "cloudwatch" and res == "logGroup":
        rid = k("name") or rid
        arn = f"arn:aws:logs:{region}:{acct}:log-group:{rid}"
    elif mod == "kms" and res == "key":
        rid = _uuid(urn)
        arn = f"{arn_prefix}:key/{rid}"
        out["keyId"] = rid
    elif mod == "kms" and res == "alias":
        rid = k("name") or f"alias/{name}"
        arn = f"{arn_prefix}:{rid}"
    elif mod == "rds" and res in ("instance", "clusterInstance"):
        ident = k("identifier") or rid
        engine = str(k("engine") or "")
        port = wire.as_int(props.get("port")) or (3306 if "mysql" in engine or "maria" in engine else 5432)
        address = f"{ident}.c{digest(urn, 11)}.{region}.rds.amazonaws.com"
        rid = "db-" + digest(urn, 26).upper()
        arn = f"{arn_prefix}:db:{ident}"
        out.update(address=address, port=port, endpoint=f"{address}:{port}", resourceId=rid,
                   hostedZoneId="Z2R2ITUGPM61AM")
    elif mod == "rds" and res == "cluster":
        ident = k("clusterIdentifier") or rid
        host = f"c{digest(urn, 11)}.{region}.rds.amazonaws.com"
        rid = ident
        arn = f"{arn_prefix}:cluster:{ident}"
        out.update(endpoint=f"{ident}.cluster-{host}", readerEndpoint=f"{ident}.cluster-ro-{host}",
                   clusterResourceId="cluster-" + digest(urn, 26).upper())
    elif mod == "rds" and res in ("subnetGroup", "parameterGroup", "clusterParameterGroup"):
        rid = k("name") or rid
        arn = f"{arn_prefix}:{ {'subnetGroup': 'subgrp', 'parameterGroup': 'pg'}.get(res, 'cluster-pg') }:{rid}"
    elif mod == "elasticache" and res == "replicationGroup":
        rid = k("replicationGroupId") or rid
        arn = f"{arn_prefix}:replicationgroup:{rid}"
        host = f"{rid}.{digest(urn, 6)}.{region}.cache.amazonaws.com"
        out.update(primaryEndpointAddress=f"master.{host}", readerEndpointAddress=f"replica.{host}")
    elif mod == "secretsmanager" and res == "secret":
        arn = f"{arn_prefix}:secret:{k('name') or name}-{digest(urn, 6)}"
        rid = arn
    elif mod in ("lb", "alb") and res in ("loadBalancer", "targetGroup", "listener"):
        lb_name = k("name") or name
        kind = {"loadBalancer": "loadbalancer/app", "targetGroup": "targetgroup", "listener": "listener/app"}[res]
        suffix = f"{digest(urn, 16)}" if res != "listener" else f"{digest(urn + '#lb', 16)}/{digest(urn, 16)}"
        arn = f"arn:aws:elasticloadbalancing:{region}:{acct}:{kind}/{lb_name}/{suffix}"
        rid = arn
        out["arnSuffix"] = arn.split(":", 5)[-1].split("/", 1)[-1] if res != "targetGroup" else arn.split(":")[-1]
        if res == "loadBalancer":
            out.update(dnsName=f"{lb_name}-{int(digest(urn, 8), 16)}.{region}.elb.amazonaws.com",
                       zoneId="Z35SXDOTRQ7X7K")
    elif mod == "sns" and res == "topic":
        arn = rid = f"{arn_prefix}:{k('name') or name}"
    elif mod == "sqs" and res == "queue":
        qname = k("name") or name
        arn = f"{arn_prefix}:{qname}"
        rid = out["url"] = f"https://sqs.{region}.amazonaws.com/{acct}/{qname}"
    elif mod == "lambda" and res == "function":
        rid = k("name") or rid
        arn = f"{arn_prefix}:function:{rid}"
        out["invokeArn"] = f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"
    elif mod == "ecs" and res in ("cluster", "service", "taskDefinition"):
        if res == "taskDefinition":
            arn = f"{arn_prefix}:task-definition/{k('family') or name}:1"
            out["revision"] = 1
        else:
            arn = f"{arn_prefix}:{res}/{k('name') or name}"
        rid = arn
    elif mod == "kinesis" and res == "stream":
        arn = rid = f"{arn_prefix}:stream/{k('name') or name}"
    elif mod == "acm" and res == "certificate":
        arn = rid = f"{arn_prefix}:certificate/{_uuid(urn)}"
    elif mod == "servicediscovery" and res.endswith("Namespace"):
        # Cloud Map ids every namespace type alike: arn:aws:servicediscovery:<region>:<acct>:namespace/ns-<hex>
        rid = f"ns-{digest(urn, 16)}"
        arn = f"{arn_prefix}:namespace/{rid}"
    else:
        arn = f"{arn_prefix}:{_kebab(res)}/{rid}"

    out["arn"] = arn
    tags = wire.known(props.get("tags"))
    if isinstance(tags, dict):
        out["tagsAll"] = tags
    return rid, out


# --- random -----------------------------------------------------------------------------------------
RANDOM_DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"  # terraform-provider-random's default special set


def random_chars(props: dict, seed: str) -> str | None:
    """A value honouring RandomPassword/RandomString settings, like terraform-provider-random builds it:
    the minimum counts of each class first, then the rest from every enabled class, then shuffled."""
    length = wire.as_int(props.get("length"))
    if length is None:
        return None
    numeric = wire.as_bool(props.get("numeric", props.get("number")), True)
    classes = [
        (string.ascii_uppercase if wire.as_bool(props.get("upper"), True) else "", wire.as_int(props.get("minUpper"), 0)),
        (string.ascii_lowercase if wire.as_bool(props.get("lower"), True) else "", wire.as_int(props.get("minLower"), 0)),
        (string.digits if numeric else "", wire.as_int(props.get("minNumeric"), 0)),
    ]
    if wire.as_bool(props.get("special"), True):
        override = wire.known(props.get("overrideSpecial"))
        special = override if isinstance(override, str) and override else RANDOM_DEFAULT_SPECIAL
        classes.append((special, wire.as_int(props.get("minSpecial"), 0)))
    rng = _random.Random(seed)
    chars = [rng.choice(cs) for cs, minimum in classes if cs for _ in range(minimum or 0)]
    pool = "".join(cs for cs, _ in classes)
    if not pool:
        return None
    chars += [rng.choice(pool) for _ in range(max(0, length - len(chars)))]
    rng.shuffle(chars)
    return "".join(chars)


def _random_pkg(type_: str, name: str, urn: str, props: dict) -> tuple[str, dict]:
    _, _, res = _type_parts(type_)
    rng = _random.Random(urn)
    if res in ("randomPassword", "randomString"):
        value = random_chars(props, urn)
        result = wire.UNKNOWN if value is None else value
        if res == "randomPassword":
            fake_hash = "$2a$10$" + digest(urn + "#bcrypt", 53)
            return "none", {"result": wire.secret(result), "bcryptHash": wire.secret(fake_hash)}
        return result, {"result": result}
    if res == "randomId":
        n = wire.as_int(props.get("byteLength"), 8) or 8
        raw = bytes(rng.getrandbits(8) for _ in range(n))
        b64url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        prefix = wire.known(props.get("prefix")) or ""
        return b64url, {"hex": prefix + raw.hex(), "b64Url": prefix + b64url,
                        "b64Std": prefix + base64.b64encode(raw).decode(), "dec": prefix + str(int.from_bytes(raw, "big"))}
    if res == "randomInteger":
        lo, hi = wire.as_int(props.get("min"), 0), wire.as_int(props.get("max"), 0)
        value = rng.randint(min(lo, hi), max(lo, hi))
        return str(value), {"result": value}
    if res == "randomUuid":
        value = _uuid(urn)
        return value, {"result": value}
    if res == "randomPet":
        words = ["brave-otter", "calm-heron", "quick-lynx", "eager-mole", "bold-finch"]
        length = wire.as_int(props.get("length"), 2) or 2
        parts = rng.choice(words).split("-")[:length] + ["x"] * max(0, length - 2)
        prefix = wire.known(props.get("prefix"))
        value = (wire.known(props.get("separator")) or "-").join(([prefix] if prefix else []) + parts)
        return value, {}
    if res == "randomShuffle":
        items = wire.known(props.get("inputs"))
        if isinstance(items, list):
            items = list(items)
            rng.shuffle(items)
            return f"{name}-{digest(urn, 8)}", {"results": items}
    return f"{name}-{digest(urn, 8)}", {}


# --- entry point -------------------------------------------------------------------------------------
def new_resource(ctx: MockContext, type_: str, name: str, urn: str, inputs: dict,
                 region: str | None) -> tuple[str, dict, dict]:
    """Return (id, checked inputs, outputs) for a new custom resource.

    Checked inputs are the inputs plus what the provider's Check adds (auto-names); outputs are the checked
    inputs plus what the provider computes. An output the program set explicitly is never overwritten.
    """
    checked = dict(inputs)
    named = autoname(type_, name, urn, inputs)
    if named and named[0] not in checked:
        checked[named[0]] = named[1]
    pkg = type_.split(":", 1)[0]
    if pkg == "aws":
        rid, extra = _aws(type_, name, urn, checked, region or DEFAULT_REGION, ctx.account_id)
    elif pkg == "random":
        rid, extra = _random_pkg(type_, name, urn, checked)
    else:
        rid, extra = f"{name}-{digest(urn, 8)}", {}
    outputs = dict(checked)
    for key, value in extra.items():
        outputs.setdefault(key, value)
    return rid, checked, output_shapes.shape_outputs(type_, outputs)  # as the provider's output types say
