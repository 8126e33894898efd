"""Which AWS Backup selections select a resource (one matcher for every *-in-backup-plan policy).

AWS Backup (API_BackupSelection, "Assigning resources programmatically"): a selection assigns the resources
that match its `resources` (ARNs or ARN wildcards) or its `selectionTags` (ListOfTags, STRINGEQUALS, any of
them), AND every one of its `conditions` (StringEquals / StringLike / StringNotEquals / StringNotLike on
`aws:ResourceTag/<key>`), minus its `notResources`. A selection with none of these selects every supported
resource. PITR and RDS automated backups are not membership.
"""
from __future__ import annotations

from typing import Any, Optional

from .. import data
from .. import resource_types as T
from ..stack._iam import wildcard_match
from ..values import UNKNOWN, Unknown, is_unknown
from . import memo, texts

TAG_KEY_PREFIX = "aws:resourcetag/"
# Two different fillings of the parts of an ARN that are unknown at preview: a pattern that matches both
# matches whatever the value turns out to be; one that matches neither cannot match; else undecided.
_FILLINGS = ({"account": "000000000000", "name": "a0", "region": "us-east-1"},
             {"account": "999999999999", "name": "z9", "region": "eu-west-3"})


def arn_candidates(resource) -> Optional[list[str]]:
    """The resource's ARN if known, else its two synthesized fillings; None when its type has no format."""
    arn = resource.props.peek("arn")
    if isinstance(arn, str) and arn:
        return [arn]
    fmt = data.load("conformance.json")["arn_formats"].get(resource.type)
    if fmt is None:
        return None
    name = resource.props.peek(fmt["name"])
    out = []
    for fill in _FILLINGS:
        out.append(fmt["format"].format(
            region=resource.region or fill["region"], account=fill["account"],
            name=name if isinstance(name, str) and name else fill["name"]))
    return out


def _arn_match(pattern: Any, candidates: Optional[list[str]]) -> Any:
    """True / False / UNKNOWN: whether an ARN pattern of a selection covers the resource."""
    if pattern is UNKNOWN or candidates is None:
        return UNKNOWN
    hits = {wildcard_match(pattern, c) for c in candidates}
    return hits.pop() if len(hits) == 1 else UNKNOWN


def _tag_test(tags: dict, key: Any, value: Any, op: str) -> Any:
    if is_unknown(key) or is_unknown(value) or not isinstance(key, str) or not isinstance(value, str):
        return UNKNOWN
    actual = tags.get(key)
    if op == "equals":
        return actual == value
    if op == "like":
        return actual is not None and wildcard_match(value, actual)
    if op == "notequals":
        return actual != value
    return actual is None or not wildcard_match(value, actual)  # notlike


def _any(results) -> Any:
    results = list(results)
    if True in results:
        return True
    return UNKNOWN if any(r is UNKNOWN for r in results) else False


def _all(results) -> Any:
    results = list(results)
    if False in results:
        return False
    return UNKNOWN if any(r is UNKNOWN for r in results) else True


_CONDITIONS = (("stringEquals", "equals"), ("stringLikes", "like"), ("stringNotEquals", "notequals"),
               ("stringNotLikes", "notlike"))


def selects(selection, resource) -> Any:
    """True / False / UNKNOWN: whether `selection` assigns `resource` to its backup plan."""
    props = selection.props
    candidates = arn_candidates(resource)
    by_dependency = resource.urn in (selection.property_dependency_urns.get("resources") or [])
    patterns = texts(props.peek("resources"))
    tag_rules = props.peek("selectionTags")
    conditions = props.peek("conditions")
    if tag_rules is UNKNOWN or conditions is UNKNOWN:
        return UNKNOWN
    tag_rules = tag_rules if isinstance(tag_rules, list) else []
    conditions = conditions if isinstance(conditions, dict) else {}
    tags = resource.tags

    included = [True] if by_dependency else [_arn_match(p, candidates) for p in patterns]
    included += [_tag_test(tags, r.get("key"), r.get("value"), "equals") for r in tag_rules
                 if isinstance(r, dict) and str(r.get("type", "STRINGEQUALS")).upper() == "STRINGEQUALS"]
    tests = []
    for field, op in _CONDITIONS:
        for cond in conditions.get(field) or []:
            if not isinstance(cond, dict):
                continue
            key = cond.get("key")
            if isinstance(key, str) and key.lower().startswith(TAG_KEY_PREFIX):
                key = key[len(TAG_KEY_PREFIX):]
            tests.append(_tag_test(tags, key, cond.get("value"), op))
    if not patterns and not tag_rules and not by_dependency:
        included = [True]  # no resources and no tags: every supported resource, narrowed by the conditions
    excluded = _any(_arn_match(p, candidates) for p in texts(props.peek("notResources")))
    return _all([_any(included), _all(tests), _negate(excluded)])


def _negate(value: Any) -> Any:
    return value if value is UNKNOWN else not value


def selecting(resource, stack) -> list:
    """The backup selections of the stack that select `resource`; raises Unknown when none surely does but
    one might (an unknown pattern, tag or ARN)."""
    selections = memo(stack, "backup-selections", lambda: stack.of_type(T.BACKUP_SELECTION))
    found, undecided = [], False
    for selection in selections:
        verdict = selects(selection, resource)
        if verdict is True:
            found.append(selection)
        elif verdict is UNKNOWN:
            undecided = True
    if not found and undecided:
        raise Unknown("backup selection")
    return found
