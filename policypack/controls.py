"""HIPAA Security Rule controls: the id, title and place in the regulation of every paragraph a policy cites.

The facts (ids, headings, Required/Addressable) live in `data/hipaa_security_rule.json`, taken from the eCFR;
this module answers questions about them: the title to show for a citation, the order controls are listed in,
the section and standard a control belongs to. The documentation, `policypack list` and the control report
all read titles from here, so there is one source of them.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

from . import data

DATA_FILE = "hipaa_security_rule.json"
_ID = re.compile(r"^(?:45 CFR )?(?:§\s*)?(164\.3\d\d)((?:\([0-9a-zA-Z]+\))*)$")


@dataclass(frozen=True)
class Control:
    id: str                   # "164.308(a)(7)(ii)(A)"
    title: str                # this paragraph's heading: "Data backup plan"
    kind: str                 # section, standard, implementation specification, paragraph
    section: str              # "164.308"
    section_title: str        # "Administrative safeguards"
    standard: Optional[str]   # the standard's title: "Contingency plan" (None for a section)
    required: Optional[bool]  # implementation specifications: Required (True) or Addressable (False)
    order: int                # position in the regulation

    @property
    def full_title(self) -> str:
        """`Contingency plan: data backup plan`; a standard (or its own paragraph) is just its title."""
        if self.standard is None or self.title == self.standard:
            return self.title
        return f"{self.standard}: {self.title[0].lower()}{self.title[1:]}"


def normalize(citation: str) -> str:
    """`45 CFR 164.312(b)` or `164.312(b)` -> `164.312(b)`; anything else is returned stripped, unchanged."""
    text = citation.strip()
    match = _ID.match(text)
    return match.group(1) + match.group(2) if match else text


@functools.lru_cache(maxsize=None)
def _index() -> dict[str, Control]:
    entries = data.load(DATA_FILE)["controls"]
    sections = {e["id"]: e["title"] for e in entries if e["kind"] == "section"}
    standards = {e["id"]: e["title"] for e in entries if e["kind"] == "standard"}
    index = {}
    for order, entry in enumerate(entries):
        cid = entry["id"]
        section = cid[:7]
        standard = None
        if entry["kind"] != "section":
            owner = max((s for s in standards if cid == s or cid.startswith(s + "(")), key=len, default=None)
            standard = standards.get(owner) if owner else None
        index[cid] = Control(id=cid, title=entry["title"], kind=entry["kind"], section=section,
                             section_title=sections.get(section, ""), standard=standard,
                             required=entry.get("required"), order=order)
    return index


def get(citation: str) -> Optional[Control]:
    """The control a citation names, or None when the data does not know that paragraph."""
    return _index().get(normalize(citation))


def title(citation: str) -> Optional[str]:
    """The title to show beside a citation (`Contingency plan: data backup plan`), or None if unknown."""
    control = get(citation)
    return control.full_title if control else None


def sort_key(citation: str) -> tuple:
    """Regulation order; ids the data does not know come last, by id."""
    control = get(citation)
    return (0, control.order, "") if control else (1, 0, normalize(citation))


def all_controls() -> list[Control]:
    return sorted(_index().values(), key=lambda c: c.order)


class _Titles(Mapping):
    """Citation -> display title, for every paragraph the data knows (`TITLES["164.312(b)"]`)."""

    def __getitem__(self, citation: str) -> str:
        control = get(citation)
        if control is None:
            raise KeyError(citation)
        return control.full_title

    def __iter__(self):
        return iter(_index())

    def __len__(self) -> int:
        return len(_index())


TITLES = _Titles()
