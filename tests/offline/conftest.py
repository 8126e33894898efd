"""Captures are slow (each spawns an interpreter that imports pulumi_aws), so every program under
programs/ is captured once per session, in parallel, and the tests read the results."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from offline_helpers import PROGRAMS

from policypack.offline import capture_program

# name -> (program dir, keyword arguments of capture_program)
CAPTURES = {
    "network_db": ("network_db", {}),
    "network_db_first_preview": ("network_db", {"unknowns": ("full", "first-preview")}),
    "network_db_west": ("network_db", {"config_overrides": {"aws:region": "us-west-2", "dbName": "records"}}),
    "component_provider": ("component_provider", {}),
    "no_sdk": ("network_db", {"python": "/usr/bin/python3"}),
    "slow": ("errors/slow", {"timeout": 3}),
    "sized_35": ("sized_35", {}),
    "normalised_inputs": ("normalised_inputs", {}),
    **{f"errors/{name}": (f"errors/{name}", {}) for name in (
        "bad_keyword", "attr_module", "attr_result", "import_module", "syntax", "apply_raise", "json_dumps",
        "missing_requirement", "option_keyword", "secret_in_message", "enum_member", "secret_apply",
        "component_method", "import_lib", "list_for_object")},
}


@pytest.fixture(scope="session")
def captures():
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(capture_program, PROGRAMS / path, **kwargs)
                   for name, (path, kwargs) in CAPTURES.items()
                   if name != "no_sdk" or Path("/usr/bin/python3").exists()}
        return {name: future.result() for name, future in futures.items()}
