"""The front page's tests use the one-stop service's world (points, staff, partners)."""

from pandu.proposals.tests.conftest import batch_factory  # noqa: E402, F401
from pandu.services.tests.conftest import (  # noqa: F401  (fixtures used by the tests here)
    _clear_cache,
    make_case,
    make_intake,
    world,
)
