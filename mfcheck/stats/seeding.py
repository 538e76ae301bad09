"""Deterministic random streams: per-seed generators from ``numpy.random.SeedSequence``."""

from __future__ import annotations

import zlib

import numpy as np


def seed_streams(master_seed: int, n: int, *, label: str = "") -> list[np.random.Generator]:
    """``n`` independent generators derived from ``master_seed`` and a label.

    The label (e.g. a claim id) is hashed into the entropy so that two checkers with the same
    master seed draw independent streams; the same (master_seed, label, n) always gives the
    same streams.
    """
    entropy = [int(master_seed), zlib.crc32(label.encode())]
    return [np.random.default_rng(child) for child in np.random.SeedSequence(entropy).spawn(n)]


def stream(master_seed: int, *, label: str = "") -> np.random.Generator:
    """One generator derived from ``master_seed`` and ``label``."""
    return seed_streams(master_seed, 1, label=label)[0]
