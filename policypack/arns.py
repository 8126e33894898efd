"""ARN parsing and placeholder detection, shared by every policy that reads an ARN."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_ARN = re.compile(
    r"^arn:(?P<partition>aws(?:-[a-z]+)*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):"
    r"(?P<account>[0-9]*|aws):(?P<resource>.+)$")
_WORD_BOUNDARY = r"(?<![a-z0-9]){}(?![a-z0-9])"


@dataclass(frozen=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str


def parse(text: object) -> Optional[Arn]:
    if not isinstance(text, str):
        return None
    match = _ARN.match(text.strip())
    if not match:
        return None
    return Arn(**match.groupdict())


def placeholder_problem(text: str, *, secret: bool = False) -> Optional[str]:
    """Why `text` looks like a placeholder (a documentation account id, a filler word), or None.

    With `secret`, the explanation names no part of the value.
    """
    from . import data

    arn = parse(text)
    if arn is not None and arn.account in data.placeholder_account_ids():
        return "it names a placeholder account id" if secret else f"it names the placeholder account {arn.account}"
    lowered = text.lower()
    for word in data.placeholder_words():
        if re.search(_WORD_BOUNDARY.format(re.escape(word.lower())), lowered):
            return "it contains a placeholder word" if secret else f"it contains the placeholder word {word!r}"
    return None
