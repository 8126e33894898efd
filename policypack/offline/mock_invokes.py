"""What provider functions (invokes) return offline: plausible, region-aware, deterministic.

Data sources are where generated programs most often go wrong about regions (seed 004 hard-coded zones of
another region), so `getAvailabilityZones` answers with the zones of the region the call would really use.
Which functions answer what is data (`invokes` in mock_knowledge.json); the algorithms it names live here
(`COMPUTE`). Unknown functions echo their arguments: the program keeps running, and reads of missing fields
become None. Stdlib only (imported by the runner in the program's interpreter). Values are in wire form.
"""

from __future__ import annotations

import json

try:
    from . import wire
    from .mock_knowledge import Evaluation, Scope, kebab, knowledge
    from .mock_outputs import MockContext, digest, random_chars
except ImportError:  # pragma: no cover
    import wire  # type: ignore[no-redef]
    from mock_knowledge import Evaluation, Scope, kebab, knowledge  # type: ignore[no-redef]
    from mock_outputs import MockContext, digest, random_chars  # type: ignore[no-redef]


def zones_of(ctx: MockContext, region: str) -> list[str]:
    """Zone names of a region from the dated data, else the common `<region>a/b/c`."""
    return list(ctx.zones.get(region) or [f"{region}{letter}" for letter in "abc"])


_DIRECTIONS = {"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}


def _zone_id(region: str, zone: str) -> str:
    parts = region.split("-")
    short = parts[0] + "".join(_DIRECTIONS.get(p, p[:1]) for p in parts[1:-1]) + parts[-1]  # us-east-1 -> use1
    return f"{short}-az{ord(zone[-1]) - ord('a') + 1}"


def _availability_zones(scope: Scope) -> dict:
    region = scope.facts["region"]
    names = zones_of(scope.facts["ctx"], region)
    excluded = set(wire.known(scope.inputs.get("excludeNames")) or [])
    names = [z for z in names if z not in excluded]
    return {"names": names, "zoneIds": [_zone_id(region, z) for z in names], "groupNames": [region] * len(names)}


def _subnet_ids(scope: Scope) -> list[str]:
    return ["subnet-" + digest(scope.seed + z, 17) for z in zones_of(scope.facts["ctx"], scope.facts["region"])]


def _secretsmanager_random_password(scope: Scope) -> str:
    args = scope.inputs
    props = {"length": args.get("passwordLength", 32),
             "special": not wire.as_bool(args.get("excludePunctuation"), False),
             "upper": not wire.as_bool(args.get("excludeUppercase"), False),
             "lower": not wire.as_bool(args.get("excludeLowercase"), False),
             "numeric": not wire.as_bool(args.get("excludeNumbers"), False)}
    excluded = str(wire.known(args.get("excludeCharacters")) or "")
    return "".join(c for c in (random_chars(props, scope.seed) or "") if c not in excluded)


def _policy_document_of(scope: Scope) -> dict:
    return _policy_document(scope.inputs)


def _policy_document(args: dict) -> dict:
    """Render `iam.get_policy_document` into the JSON the provider returns (terraform-provider-aws
    data_source_iam_policy_document.go): the statements of `sourcePolicyDocuments` first, then the `statements`
    blocks, then `overridePolicyDocuments`; at each step a statement with the Sid of an earlier one replaces it,
    one without a Sid is appended. Principal blocks of one type merge their identifiers."""
    statements: list = []
    for text in _known_texts(args.get("sourcePolicyDocuments")):
        statements = _merged(statements, _statements_of(text))
    statements = _merged(statements, [_statement(st) for st in wire.known(args.get("statements")) or []
                                      if isinstance(st, dict)])
    for text in _known_texts(args.get("overridePolicyDocuments")):
        statements = _merged(statements, _statements_of(text))
    doc = {"Version": wire.known(args.get("version")) or "2012-10-17", "Statement": statements}
    text = json.dumps(doc, indent=2)
    return {"id": digest(text, 10), "json": text, "minifiedJson": json.dumps(doc, separators=(",", ":"))}


def _statement(st: dict) -> dict:
    out: dict = {}
    if st.get("sid"):
        out["Sid"] = st["sid"]
    out["Effect"] = st.get("effect") or "Allow"
    for key, name in (("actions", "Action"), ("notActions", "NotAction"),
                      ("resources", "Resource"), ("notResources", "NotResource")):
        if st.get(key):
            out[name] = _one_or_many(st[key])
    for key, name in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
        if st.get(key):
            by_type: dict = {}
            for p in st[key]:
                for ident in p.get("identifiers") or []:
                    if ident not in by_type.setdefault(p.get("type"), []):
                        by_type[p.get("type")].append(ident)
            principal = {kind: _one_or_many(ids) for kind, ids in by_type.items()}
            out[name] = "*" if principal == {"*": "*"} else principal
    if st.get("conditions"):
        cond: dict = {}
        for c in st["conditions"]:
            cond.setdefault(c.get("test"), {})[c.get("variable")] = _one_or_many(c.get("values") or [])
        out["Condition"] = cond
    return out


def _one_or_many(values: list):
    return values[0] if len(values) == 1 else values


def _known_texts(value) -> list[str]:
    return [t for t in (wire.known(v) for v in wire.known(value) or []) if isinstance(t, str)]


def _statements_of(text: str) -> list:
    try:
        doc = json.loads(text)
    except ValueError:
        return []
    found = doc.get("Statement") if isinstance(doc, dict) else None
    found = [found] if isinstance(found, dict) else found if isinstance(found, list) else []
    return [st for st in found if isinstance(st, dict)]


def _merged(statements: list, later: list) -> list:
    out = list(statements)
    for st in later:
        sid = st.get("Sid")
        at = next((i for i, s in enumerate(out) if sid and s.get("Sid") == sid), None)
        if at is None:
            out.append(st)
        else:
            out[at] = st
    return out


COMPUTE = {"availability_zones": _availability_zones, "subnet_ids": _subnet_ids,
           "secretsmanager_random_password": _secretsmanager_random_password, "policy_document": _policy_document_of}


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
                kind_name = kebab(function[3:] if function.startswith("get") else function) or "resource"
                out[name] = f"arn:aws:{service}:{region}:{acct}:{kind_name}/{digest(seed, 12)}"
            elif name == "id" or name.endswith("Id"):
                out[name] = f"{kebab(name[:-2]) or 'id'}-{digest(seed, 12)}"
            else:
                out[name] = f"{kebab(name)}-{digest(seed, 8)}"
        elif kind in ("list", "dict", "bool", "number"):
            out[name] = {"list": [], "dict": {}, "bool": False, "number": 0}[kind]
    return out


def call(ctx: MockContext, token: str, args: dict, region: str, required: dict | None = None) -> dict:
    """Result (wire form) of invoke `token` with wire-form `args`, for a provider in `region`; `required`
    (wire name -> kind, from the SDK's result type) names the fields a real answer always has."""
    result = _call(ctx, token, args, region)
    return fill_required(result, required, token, region, ctx.account_id) if required else result


def _call(ctx: MockContext, token: str, args: dict, region: str) -> dict:
    entry = knowledge()["invokes"].get(token)
    if entry is None:
        return dict(args)
    seed = json.dumps(args, sort_keys=True)
    facts = {"region": region, "account": ctx.account_id, "ctx": ctx}
    specs = entry["values"]
    values = Evaluation(specs, Scope(seed=seed, inputs=args, facts=facts, compute=COMPUTE))
    result = dict(args) if entry.get("echo_args") else {}
    for key in specs:
        if not key.startswith("_"):
            value = values.value(key)
            if value is not None:
                result[key] = value
    return result
