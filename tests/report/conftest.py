"""Each program is previewed at most once per test worker, on first use (a preview spawns the program and the
pack: about 2 s on an idle machine)."""
from __future__ import annotations

import pytest

from report_helpers import RUNS, preview


class Previews:
    """Previews by name, each run on first use: under xdist a worker runs only the ones its tests need."""

    def __init__(self):
        self._done = {}

    def __getitem__(self, name):
        if name not in self._done:
            self._done[name] = preview(*RUNS[name])
        return self._done[name]


@pytest.fixture(scope="session")
def previews():
    return Previews()
