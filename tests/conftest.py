"""Hypothesis profiles and shared fixtures.

Profiles (choose with ``--hypothesis-profile=NAME`` or ``HYPOTHESIS_PROFILE``):

* ``ci`` (active automatically when ``CI`` is set): derandomised, 30 examples, no deadline;
* ``dev`` (default locally): 20 random examples, no deadline;
* ``thorough``: 1000 random examples, no deadline.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    settings.get_profile("ci"),
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough",
    max_examples=1000,
    deadline=None,
    derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# CLI runs inside tests put their cells in this process (`mfcheck report` defaults to a process
# pool); tests of the pool itself pass --executor explicitly.
os.environ.setdefault("MFCHECK_EXECUTOR", "sequential")
