"""Which AWS Backup selections select a resource (one matcher for every *-in-backup-plan policy).

AWS Backup (API_BackupSelection, "Assigning resources programmatically"): a selection assigns the resources
that match its `resources` (ARNs or ARN wildcards) or its `selectionTags` (ListOfTags, STRINGEQUALS, any of
them), AND every one of its `conditions` (StringEquals / StringLike / StringNotEquals / StringNotLike on
`aws:ResourceTag/<key>`), minus its `notResources`. A selection with none of these selects every supported
resource. PITR and RDS automated backups are not membership.
"""
from __future__ import annotations

import functools
from typing import Any, Optional

from .. import data
from .. import resource_types as T
from ..stack._iam import wildcard_match
from ..values import UNKNOWN, Unknown, is_unknown
from . import memo, same_region, texts

TAG_KEY_PREFIX = "aws:resourcetag/"
# Two different fillings of the parts of an ARN that are unknown at preview: a pattern that matches both
# matches whatever the values turn out to be. A pattern that cannot meet the ARN with those parts left as
# wildcards cannot match it. Anything between is undecided.
_FILLINGS = ({"account": "000000000000", "name": "a0", "region": "us-east-1"},
             {"account": "999999999999", "name": "z9", "region": "eu-west-3"})


class ArnForms:
    """How a selection pattern is tested against a resource: its ARN when known, else its format with the
    unknown parts filled twice and left as wildcards."""

    def __init__(self, known=None, fillings=(), glob=None):
        self.known, self.fillings, self.glob = known, fillings, glob


def arn_forms(resource) -> Optional[ArnForms]:
    arn = resource.props.peek("arn")
    if isinstance(arn, str) and arn and not is_unknown(arn):
        return ArnForms(known=arn)
    fmt = data.load("conformance.json")["arn_formats"].get(resource.type)
    if fmt is None:
        return None
    name = resource.props.peek(fmt["name"])
    name = name if isinstance(name, str) and name and not is_unknown(name) else None
    fill = lambda f: fmt["format"].format(region=resource.region or f["region"], account=f["account"],
                                          name=name or f["name"])
    glob = fmt["format"].format(region=resource.region or _PART, account=_PART, name=name or _PART)
    return ArnForms(fillings=[fill(f) for f in _FILLINGS], glob=glob)


_PART = "\x00"  # an unknown ARN part: any run of characters without ':' or '/'


def globs_intersect(pattern: str, form: str) -> bool:
    """Whether some ARN matches both an IAM wildcard `pattern` (`*` any run, `?` one character) and a
    `form` whose unknown parts are `_PART`."""
    a, b = pattern, form

    @functools.lru_cache(maxsize=None)
    def meet(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*":
            return meet(i + 1, j) or (j < len(b) and meet(i, j + 1))
        if j < len(b) and b[j] == _PART:
            return meet(i, j + 1) or (i < len(a) and a[i] not in ":/" and meet(i + 1, j))
        if i < len(a) and j < len(b) and (a[i] == b[j] or "?" in (a[i], b[j])):
            return meet(i + 1, j + 1)
        return False
    return meet(0, 0)


def _arn_match(pattern: Any, forms: Optional[ArnForms]) -> Any:
    """True / False / UNKNOWN: whether an ARN pattern of a selection covers the resource."""
    if pattern is UNKNOWN or forms is None:
        return UNKNOWN
    if forms.known is not None:
        return wildcard_match(pattern, forms.known)
    if all(wildcard_match(pattern, f) for f in forms.fillings):
        return True
    return UNKNOWN if globs_intersect(pattern, forms.glob) else False


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


def _condition_test(tags: dict, cond: dict, op: str) -> Any:
    key = cond.get("key")
    if isinstance(key, str) and key.lower().startswith(TAG_KEY_PREFIX):
        key = key[len(TAG_KEY_PREFIX):]
    return _tag_test(tags, key, cond.get("value"), op)


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
    if not same_region(selection, resource):
        return False  # a backup plan protects the resources of its own region (copies go out from there)
    props = selection.props
    candidates = arn_forms(resource)
    by_dependency = resource.urn in (selection.property_dependency_urns.get("resources") or [])
    patterns = texts(props.peek("resources"))
    tag_rules = props.peek("selectionTags")
    conditions = props.peek("conditions")
    if tag_rules is UNKNOWN or conditions is UNKNOWN:
        return UNKNOWN
    tag_rules = tag_rules if isinstance(tag_rules, list) else []
    # pulumi-aws 7 (and 6) type `conditions` as a list of condition blocks, each with the four operator lists;
    # a single block is accepted too. Every test of every block must hold (AND).
    blocks = conditions if isinstance(conditions, list) else [conditions]
    tests = [UNKNOWN for block in blocks if block is UNKNOWN]
    blocks = [block for block in blocks if isinstance(block, dict)]
    tags = resource.tags

    # Unknown entries of a `resources` list the engine says is fed by other resources are those resources'
    # ARNs, not this one's.
    fed_by_others = bool(selection.property_dependency_urns.get("resources")) and not by_dependency
    included = [True] if by_dependency else [False if p is UNKNOWN and fed_by_others else _arn_match(p, candidates)
                                             for p in patterns]
    included += [_tag_test(tags, r.get("key"), r.get("value"), "equals") for r in tag_rules
                 if isinstance(r, dict) and str(r.get("type", "STRINGEQUALS")).upper() == "STRINGEQUALS"]
    for block in blocks:
        for field, op in _CONDITIONS:
            operands = block.get(field)
            for cond in operands if isinstance(operands, list) else [operands]:
                if cond is UNKNOWN:
                    tests.append(UNKNOWN)
                elif isinstance(cond, dict):
                    tests.append(_condition_test(tags, cond, op))
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
