import pytest

from tests.factories import CommissionFactory


@pytest.fixture
def tree(db):
    """A small commission tree: central → 2 oblasts → a district each → 2 precincts each."""
    return CommissionFactory.tree()
