"""Fixtures for the engine-client tests."""

from __future__ import annotations

import pytest

from policypack.engine import AnalysisSession

from engine_support import FIXTURE_PACK, PROJECT, STACK


@pytest.fixture(scope="module")
def session():
    """One launched fixture pack for a module's protocol tests (Configure is re-sent per test as needed)."""
    with AnalysisSession(FIXTURE_PACK, project=PROJECT, stack=STACK, organization="acme",
                         config={"aws:region": "us-west-2"}, tags={"team": "platform"}) as s:
        yield s
