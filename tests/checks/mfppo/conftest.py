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


def assert_curves(curves: Any) -> None:
    """``evidence["curves"]`` follows the report's convention (:mod:`mfcheck.reports.plots`): panels
    with a title, axis labels, log flags and series whose y values (per seed, or one ``y``) match
    their x."""
    assert isinstance(curves, list) and curves, "evidence['curves'] must be a non-empty list of panels"
    for panel in curves:
        assert {"title", "xlabel", "ylabel", "logx", "logy", "series"} <= set(panel), sorted(panel)
        assert isinstance(panel["logx"], bool) and isinstance(panel["logy"], bool)
        assert panel["series"], panel["title"]
        for series in panel["series"]:
            assert isinstance(series["label"], str) and series["label"]
            n = len(series["x"])
            assert n >= 2, (panel["title"], series["label"])
            if "y_per_seed" in series:
                assert series["y_per_seed"] and all(len(row) == n for row in series["y_per_seed"]), (
                    panel["title"], series["label"])
            else:
                assert len(series["y"]) == n, (panel["title"], series["label"])


@pytest.fixture(scope="session")
def curves_ok() -> Callable[[Any], None]:
    """:func:`assert_curves` as a fixture."""
    return assert_curves
