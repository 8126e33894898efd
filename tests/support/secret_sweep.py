"""Shared by the secret sweeps (examples, hypothesis, engine): which plaintexts a message must never show."""
from pulumi_policy import Secret

from policypack.values import UNKNOWN_SENTINELS

MIN_LENGTH = 3  # shorter strings ("1", "on") occur in messages by coincidence


def plaintexts(value, found=None) -> set:
    """Every string of at least MIN_LENGTH characters in a property tree (through secret markers)."""
    found = set() if found is None else found
    if isinstance(value, Secret):
        return plaintexts(value.value, found)
    if isinstance(value, str):
        if len(value) >= MIN_LENGTH and value not in UNKNOWN_SENTINELS:
            found.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            plaintexts(v, found)
    elif isinstance(value, list):
        for v in value:
            plaintexts(v, found)
    return found


def wrap_strings(value):
    """The same tree with every known string wrapped as a `Secret` (as the engine marks secret inputs)."""
    if isinstance(value, str) and value not in UNKNOWN_SENTINELS:
        return Secret(value)
    if isinstance(value, dict):
        return {k: wrap_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [wrap_strings(v) for v in value]
    return value
