"""Shared fixtures: a fresh, seeded cloud per test."""

import pytest

from awskit import Cloud


@pytest.fixture
def cloud() -> Cloud:
    """A fresh account, seed 0, in us-east-1."""
    return Cloud(seed=0)
