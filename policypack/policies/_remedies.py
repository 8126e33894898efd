"""Remediation changes for settings inside a block (`encryptAtRest.enabled`), shared by the conformance
policies: a block of the wrong shape (a list, a string) is replaced whole instead of walked into."""
from __future__ import annotations

from typing import Any


def in_block(r, block: str, key: str, value: Any) -> dict[str, Any]:
    """The change that sets `block.key` to `value`, keeping the block's other settings when it is an object."""
    current = r.props.get(block)
    if current is None or isinstance(current, dict):
        return {f"{block}.{key}": value}
    return {block: {key: value}}
