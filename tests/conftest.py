"""Shared fixtures: a fresh, seeded cloud per test."""

import pytest

from awskit import Cloud


@pytest.fixture
def cloud() -> Cloud:
    """A fresh account, seed 0, in us-east-1."""
    return Cloud(seed=0)


# Property tests draw the same examples on every run (CI must not fail by chance); set
# HYPOTHESIS_PROFILE=explore to search with fresh random examples locally.
from hypothesis import settings as _settings  # noqa: E402

_settings.register_profile("repeatable", derandomize=True, database=None)
_settings.register_profile("explore", derandomize=False)
_settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "repeatable"))
