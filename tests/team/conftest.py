"""Team use: real processes writing to one database at once."""
import pytest

from processes import bound_url


@pytest.fixture
def url(seeded):
    return bound_url()
