"""Fixtures shared by the MF-PPO check tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest


@contextlib.contextmanager
def _quick_sizes(table: dict[str, Any], sizes: Any) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(table, "quick", sizes)
        yield


@pytest.fixture(scope="session")
def quick_sizes() -> Callable[[dict[str, Any], Any], contextlib.AbstractContextManager[None]]:
    """``with quick_sizes(checker.SIZES, SMALL):`` runs a checker's quick profile at test sizes: the
    same code path through ``run_claim`` (the user's entry point) on a smaller grid."""
    return _quick_sizes


def upper_ends(verdict: Any) -> dict[str, float]:
    """Upper end of each fitted exponent's interval, by parameter, from a rate verdict's evidence."""
    return {fit["parameter"]: float(fit["ci"][1]) for fit in verdict.evidence["fits"]}


@pytest.fixture(scope="session")
def upper() -> Callable[[Any], dict[str, float]]:
    """:func:`upper_ends` as a fixture."""
    return upper_ends
