"""Shared pytest fixtures. Each area keeps its fixtures in its own marked section."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def skip_or_fail(reason: str) -> None:
    """Skip loudly on a developer machine; fail in CI, where every service must run."""
    if IN_CI:
        pytest.fail(f"CI must run this test for real: {reason}")
    pytest.skip(f"SKIPPED FOR REAL REASON: {reason}")


# --- pipeline fixtures (lead) ---


@pytest.fixture(scope="session")
def extractor():
    """One spaCy-backed extractor per test session (loading the model takes seconds)."""
    from kg.extract import Extractor

    return Extractor()
