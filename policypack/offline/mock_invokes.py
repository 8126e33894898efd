"""What provider functions (invokes) return offline: plausible, region-aware, deterministic.

Data sources are where generated programs most often go wrong about regions (seed 004 hard-coded zones of
another region), so `getAvailabilityZones` answers with the zones of the region the call would really use.
Unknown functions echo their arguments: the program keeps running, and reads of missing fields become None.
Stdlib only (imported by the runner in the program's interpreter). Values are in wire form.
"""

from __future__ import annotations

import json

try:
    from . import wire
    from .mock_outputs import MockContext, digest, random_chars
except ImportError:  # pragma: no cover
    import wire  # type: ignore[no-redef]
    from mock_outputs import MockContext, digest, random_chars  # type: ignore[no-redef]


def zones_of(ctx: MockContext, region: str) -> list[str]:
    """Zone names of a region from the dated data, else the common `<region>a/b/c`."""
    return list(ctx.zones.get(region) or [f"{region}{letter}" for letter in "abc"])


_DIRECTIONS = {"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}


def _zone_id(region: str, zone: str) -> str:
    parts = region.split("-")
    short = parts[0] + "".join(_DIRECTIONS.get(p, p[:1]) for p in parts[1:-1]) + parts[-1]  # us-east-1 -> use1
    return f"{short}-az{ord(zone[-1]) - ord('a') + 1}"


def _availability_zones(ctx: MockContext, args: dict, region: str) -> dict:
    names = zones_of(ctx, region)
    excluded = set(wire.known(args.get("excludeNames")) or [])
    names = [z for z in names if z not in excluded]
    return {"id": region, "names": names, "zoneIds": [_zone_id(region, z) for z in names],
            "groupNames": [region] * len(names), "state": wire.known(args.get("state")) or "available"}


def _policy_document(args: dict) -> dict:
    """Render `iam.get_policy_document` statements into the JSON the provider returns."""
    statements = []
    for st in wire.known(args.get("statements")) or []:
        out: dict = {}
        if st.get("sid"):
            out["Sid"] = st["sid"]
        out["Effect"] = st.get("effect") or "Allow"
        for key, name in (("actions", "Action"), ("notActions", "NotAction"),
                          ("resources", "Resource"), ("notResources", "NotResource")):
            if st.get(key):
                values = st[key]
                out[name] = values[0] if len(values) == 1 else values
        for key, name in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
            if st.get(key):
                principal: dict = {}
                for p in st[key]:
                    ids = p.get("identifiers") or []
                    principal[p.get("type")] = ids[0] if len(ids) == 1 else ids
                out[name] = "*" if principal == {"*": "*"} else principal
        if st.get("conditions"):
            cond: dict = {}
            for c in st["conditions"]:
                values = c.get("values") or []
                cond.setdefault(c.get("test"), {})[c.get("variable")] = values[0] if len(values) == 1 else values
            out["Condition"] = cond
        statements.append(out)
    doc = {"Version": wire.known(args.get("version")) or "2012-10-17", "Statement": statements}
    text = json.dumps(doc, indent=2)
    return {"id": digest(text, 10), "json": text, "minifiedJson": json.dumps(doc, separators=(",", ":"))}


def _kebab(text: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in text).lstrip("-")


def fill_required(result: dict, required: dict, token: str, region: str, acct: str) -> dict:
    """Give each required field of the function's result type (wire name -> "str", "list", "dict", "bool" or
    "number") that the answer lacks a plausible value: a real data source always returns them, and a program
    passing e.g. `get_zone(...).zone_id` on to a resource would otherwise fail with a TypeError it never has."""
    out = dict(result)
    service = token.split(":", 2)[1].split("/", 1)[0] if token.count(":") >= 2 else "aws"
    function = token.rsplit(":", 1)[-1]
    for name, kind in required.items():
        if name in out and out[name] is not None:
            continue
        seed = f"{token}#{name}#{json.dumps(result, sort_keys=True, default=str)}"
        if kind == "str":
            if name == "region":
                out[name] = region
            elif name == "arn" or name.endswith("Arn"):
                kind_name = _kebab(function[3:] if function.startswith("get") else function) or "resource"
                out[name] = f"arn:aws:{service}:{region}:{acct}:{kind_name}/{digest(seed, 12)}"
            elif name == "id" or name.endswith("Id"):
                out[name] = f"{_kebab(name[:-2]) or 'id'}-{digest(seed, 12)}"
            else:
                out[name] = f"{_kebab(name)}-{digest(seed, 8)}"
        elif kind in ("list", "dict", "bool", "number"):
            out[name] = {"list": [], "dict": {}, "bool": False, "number": 0}[kind]
    return out


def call(ctx: MockContext, token: str, args: dict, region: str, required: dict | None = None) -> dict:
    """Result (wire form) of invoke `token` with wire-form `args`, for a provider in `region`; `required`
    (wire name -> kind, from the SDK's result type) names the fields a real answer always has."""
    result = _call(ctx, token, args, region)
    return fill_required(result, required, token, region, ctx.account_id) if required else result


def _call(ctx: MockContext, token: str, args: dict, region: str) -> dict:
    acct = ctx.account_id
    if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
        return _availability_zones(ctx, args, region)
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {"id": acct, "accountId": acct, "arn": f"arn:aws:iam::{acct}:user/offline-preview",
                "userId": "AIDA" + digest(acct, 17).upper()}
    if token == "aws:index/getRegion:getRegion":
        return {"id": region, "name": region, "region": region, "description": region,
                "endpoint": f"ec2.{region}.amazonaws.com"}
    if token == "aws:index/getPartition:getPartition":
        return {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}
    if token == "aws:secretsmanager/getRandomPassword:getRandomPassword":
        props = {"length": args.get("passwordLength", 32),
                 "special": not wire.as_bool(args.get("excludePunctuation"), False),
                 "upper": not wire.as_bool(args.get("excludeUppercase"), False),
                 "lower": not wire.as_bool(args.get("excludeLowercase"), False),
                 "numeric": not wire.as_bool(args.get("excludeNumbers"), False)}
        excluded = str(wire.known(args.get("excludeCharacters")) or "")
        value = "".join(c for c in (random_chars(props, json.dumps(args, sort_keys=True)) or "") if c not in excluded)
        return {**args, "id": "offline", "randomPassword": wire.secret(value)}
    if token == "aws:ec2/getAmi:getAmi":
        ami = "ami-" + digest(json.dumps(args, sort_keys=True), 17)
        return {**args, "id": ami, "imageId": ami, "architecture": "x86_64",
                "arn": f"arn:aws:ec2:{region}::image/{ami}", "name": f"offline-{ami}"}
    if token == "aws:ec2/getVpc:getVpc":
        vpc = wire.known(args.get("id")) or "vpc-" + digest(json.dumps(args, sort_keys=True), 17)
        return {**args, "id": vpc, "cidrBlock": "172.31.0.0/16", "default": wire.as_bool(args.get("default"), False),
                "arn": f"arn:aws:ec2:{region}:{acct}:vpc/{vpc}", "ownerId": acct}
    if token in ("aws:ec2/getSubnets:getSubnets", "aws:ec2/getSubnetIds:getSubnetIds"):
        seed = json.dumps(args, sort_keys=True)
        return {**args, "id": region, "ids": ["subnet-" + digest(seed + z, 17) for z in zones_of(ctx, region)]}
    if token == "aws:iam/getPolicyDocument:getPolicyDocument":
        return _policy_document(args)
    if token == "aws:kms/getKey:getKey":
        key = wire.known(args.get("keyId")) or "alias/aws/unknown"
        return {**args, "id": key, "arn": f"arn:aws:kms:{region}:{acct}:key/{digest(str(key), 32)}"}
    return dict(args)
