"""Counts the cases the sweeps generate and prints the total at the end of the run, so a long run
(HIPAA_GUARD_SWEEP_EXAMPLES=...) can be reported with its size."""
from collections import Counter

import pytest

CASES: Counter = Counter()


@pytest.fixture(scope="session")
def cases() -> Counter:
    return CASES


def pytest_terminal_summary(terminalreporter):
    if CASES:
        detail = ", ".join(f"{k}: {v}" for k, v in sorted(CASES.items()))
        terminalreporter.write_line(f"hipaa-guard sweep: {sum(CASES.values())} generated cases ({detail})")
