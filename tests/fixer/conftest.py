import pytest

from fixer.provider_index import load_index


@pytest.fixture(scope="session")
def index():
    return load_index()
